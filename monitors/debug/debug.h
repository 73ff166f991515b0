/*
 * The debugger monitor (monitors/debug): the keeper of its child's exceptions,
 * serving GDB's Remote Serial Protocol on COM2. Its parts:
 *   debug.c   the monitor: starts the program stopped, serves its Common
 *             Protocols (MemPool from its own pages, the rest forwarded), takes
 *             its exceptions as stops, and runs the GDB session thread;
 *   uart.c    the COM2 driver: bytes in (sleeping in io_wait) and out;
 *   packet.c  RSP framing: $data#cs, acks, retransmission, escapes, hex;
 *   gdb.c     the session: each packet's answer;
 *   target.c  the child seen as a target: its threads (found in the memory the
 *             debugger holds for it), their registers, its memory, breakpoints,
 *             stopping and resuming.
 * Invariant: everything in struct target is read and changed only with the
 * monitor's lock held (mon.lock); the session thread holds it while it answers
 * a packet and never while it waits for the line.
 */
#ifndef DEBUG_DEBUG_H
#define DEBUG_DEBUG_H

#include <fluke/monitor.h>
#include <fluke/keeper.h>

#define DBG_THREADS	32		/* threads of the child GDB can see */
#define DBG_BREAKS	64		/* software breakpoints at once */
#define DBG_WATCHES	4		/* write watchpoints at once */
#define PKT_MAX		4096		/* a packet's data, the most either side sends */

/* GDB's signal numbers (gdb/signals.def), which stop replies carry. */
enum { SIG_NONE = 0, SIG_INT = 2, SIG_ILL = 4, SIG_TRAP = 5, SIG_FPE = 8, SIG_KILL = 9,
       SIG_SEGV = 11, SIG_SYS = 12 };

struct dthread {
	fluke_thread_t *obj;		/* in memory the debugger holds; NULL: free entry */
	fluke_thread_state_t st;	/* its registers, while stopped */
	int stopped;			/* st holds them: get_state stopped it */
	int seen;			/* found by the last scan */
	int gdb_step;			/* resumed by GDB for one step (not a watch's) */
};

/* Why the child stopped (or ended), for the stop reply. */
struct stop {
	int pending;			/* not yet reported to GDB */
	int exited;			/* the child ended: status (signal: killed by it) */
	int status, signal;
	uint32_t tid;			/* the thread that stopped; 0: none */
	int swbreak;			/* at one of our breakpoints (eip backed up) */
	int watch;			/* a write watchpoint at addr changed */
	uint32_t addr;			/* a fault's address, or the watched one */
};

struct target {
	struct fluke_monitor *m;
	uint32_t slot;			/* the debugged child */
	struct dthread threads[DBG_THREADS];	/* GDB's thread id: index + 1 */
	struct stop stop;		/* the last stop */
	int running;			/* resumed, and GDB is owed a stop reply */
	int attached;			/* a GDB may be waiting for stop replies */
	int ended;			/* the child is gone */
	uint32_t gen_tid, cont_tid;	/* H g / H c: 0 any, -1 all */
};

extern struct target tgt;

/* uart.c */
int uart_init(void);
/* The next byte from the line, sleeping for it; -1 if the thread was interrupted
 * (fluke_thread_interrupt) first. */
int uart_getc(void);
/* Give c back: the next uart_getc returns it. */
void uart_ungetc(int c);
void uart_write(const char *s, uint32_t n);

/* packet.c */
extern int pkt_noack;			/* QStartNoAckMode: no '+'/'-' */
/* Read one packet's data into buf (NUL-terminated): its length; PKT_BREAK for a
 * ^C; PKT_INTERRUPTED if the thread was interrupted while none had begun;
 * PKT_TOOLONG for one longer than max (acked, its data dropped). A checksum error
 * is answered '-' and the packet read again. */
#define PKT_BREAK	(-1)
#define PKT_INTERRUPTED	(-2)
#define PKT_TOOLONG	(-3)
int pkt_read(char *buf, uint32_t max);
/* Send data as a packet and, unless noack, wait for GDB's '+' (resending on '-'). */
void pkt_send(const char *data, uint32_t n);
void pkt_send_str(const char *s);
int hex_digit(int c);			/* its value, or -1 */
/* Parse hex digits at *p (at least one): the number, *p past it; -1 on none. */
int hex_parse(const char **p, uint32_t *v);
/* n bytes as 2n hex digits at out (NUL-terminated); out + 2n. */
char *hex_put(char *out, const void *bytes, uint32_t n);
/* 2n hex digits at in into n bytes: 0, or -1 on a non-hex digit. */
int hex_get(const char *in, void *bytes, uint32_t n);

/* target.c (with mon.lock held) */
void target_init(struct fluke_monitor *m, uint32_t slot);
/* The calling thread will touch the child's memory: a fault there ends the copy
 * (its exception handler), not the debugger. Without the lock; idempotent. */
void target_thread_init(void);
/* Find the child's threads again (after stopping all it finds if stop). */
void target_scan(int stop);
/* Stop every thread; the stop reason is the caller's to set. */
void target_stop_all(void);
/* The thread with GDB's id tid (0: the stopped one or the first), or NULL. */
struct dthread *target_thread(uint32_t tid);
uint32_t target_tid(const struct dthread *t);
/* An exception of the child's thread named by ref: record it as a stop. 1 if taken. */
int target_exception(const fluke_keeper_msg_t *k, const fluke_ref_t *ref);
/* GDB's i386 register n of t into *v / from v: 0, or -1 if it has none such. */
int target_reg_get(const struct dthread *t, uint32_t n, uint32_t *v);
int target_reg_set(struct dthread *t, uint32_t n, uint32_t v);
/* Copy n bytes of the child's memory at va: how many could be (breakpoints'
 * int3 hidden; written bytes under a breakpoint stay behind it). */
uint32_t target_read(uint32_t va, void *buf, uint32_t n);
uint32_t target_write(uint32_t va, const void *buf, uint32_t n);
/* Z0 / z0: 0, or -1 (no memory there, no room, no such breakpoint). */
int target_break_set(uint32_t va);
int target_break_clear(uint32_t va);
/* Breakpoints and watchpoints, all of them. */
void target_break_clear_all(void);
/* Z2 / z2: 0, or -1 (too long, no memory there, no room, no such watchpoint). */
int target_watch_set(uint32_t va, uint32_t len);
int target_watch_clear(uint32_t va, uint32_t len);
/* Resume t (NULL: none) stepping if step; the other threads continue if
 * others, else stay stopped. */
void target_resume(struct dthread *t, int step, int others);
/* Resume every thread with the actions of a vCont packet's text after "vCont;":
 * 0, or -1 if it is malformed (nothing resumed). */
int target_vcont(const char *actions);
/* End the child: GDB's kill (signal 0: nothing to report), or a fatal signal
 * GDB passed back to it (reported as X). */
void target_kill(int signal);

/* gdb.c */
/* The session thread: answers GDB for the life of the monitor. */
void gdb_session(void *arg);
extern fluke_thread_t gdb_thread;
extern uint32_t gdb_packets;		/* packets answered, for the METRIC */
/* Answer one packet's data into reply (NUL-terminated); 0 for none (k). */
int gdb_answer(const char *pkt, int len, char *reply);

#endif
