/*
 * The GDB session: one thread that reads packets from COM2 and answers them,
 * and reports each stop of the child. All-stop: when one thread stops, every
 * thread of the child is stopped, and they resume together (or one steps).
 * While the child runs the thread sleeps on the line; a stop (taken by a server
 * thread in the exception hook) or the child's end interrupts that sleep, and
 * the stop reply goes out. The line is read and written only here.
 */
#include "debug.h"
#include <fluke/syscalls.h>
#include <stdio.h>
#include <string.h>

fluke_thread_t gdb_thread;
uint32_t gdb_packets;

/* The i386 target description qXfer:features:read serves: GDB's core feature
 * (its x87 registers are never available: the thread state has none). */
static const char target_xml[] =
	"<?xml version=\"1.0\"?>"
	"<!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
	"<target version=\"1.0\"><architecture>i386</architecture>"
	"<feature name=\"org.gnu.gdb.i386.core\">"
	"<flags id=\"i386_eflags\" size=\"4\">"
	"<field name=\"CF\" start=\"0\" end=\"0\"/><field name=\"\" start=\"1\" end=\"1\"/>"
	"<field name=\"PF\" start=\"2\" end=\"2\"/><field name=\"AF\" start=\"4\" end=\"4\"/>"
	"<field name=\"ZF\" start=\"6\" end=\"6\"/><field name=\"SF\" start=\"7\" end=\"7\"/>"
	"<field name=\"TF\" start=\"8\" end=\"8\"/><field name=\"IF\" start=\"9\" end=\"9\"/>"
	"<field name=\"DF\" start=\"10\" end=\"10\"/><field name=\"OF\" start=\"11\" end=\"11\"/>"
	"</flags>"
	"<reg name=\"eax\" bitsize=\"32\" type=\"int32\" regnum=\"0\"/>"
	"<reg name=\"ecx\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"edx\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"ebx\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"esp\" bitsize=\"32\" type=\"data_ptr\"/>"
	"<reg name=\"ebp\" bitsize=\"32\" type=\"data_ptr\"/>"
	"<reg name=\"esi\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"edi\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"eip\" bitsize=\"32\" type=\"code_ptr\"/>"
	"<reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\"/>"
	"<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"ds\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"es\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"fs\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>"
	"<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>"
	"<reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"<reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
	"</feature></target>";

#define GP_REGS		16	/* eax .. gs: what g carries */
#define ALL_REGS	40	/* with the x87 ones, which p answers as unavailable */

/* The stop reply for tgt.stop into reply. */
static void stop_reply(char *reply)
{
	/* LAB 4: BEGIN SOLUTION */
	const struct stop *s = &tgt.stop;
	if (s->exited && s->signal)
		snprintf(reply, 64, "X%02x", s->signal & 0xff);
	else if (s->exited)
		snprintf(reply, 64, "W%02x", s->status & 0xff);
	else
		snprintf(reply, 64, "T%02xthread:%x;%s", s->signal, s->tid ? s->tid : 1,
			s->swbreak ? "swbreak:;" : "");
	if (!s->exited && s->watch)
		snprintf(reply + strlen(reply), 24, "watch:%x;", s->addr);
	if (!s->exited && s->signal == SIG_SEGV)	/* an unknown key GDB skips */
		snprintf(reply + strlen(reply), 24, "fault:%x;", s->addr);
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here */
	//| reply[0] = 0;
	/* LAB 4: END */
}

/* The stop reply, never empty: GDB waits for ever on an empty answer to '?' or
 * a resume, so an unwritten stop_reply gets E01 (GDB gives up at once) and a
 * line on the console that says why. */
static void stop_reply_given(char *reply)
{
	static int said;
	stop_reply(reply);
	if (reply[0])
		return;
	if (!said++)
		printf("debug: stop_reply() left the reply empty (lab 4, exercise 4); "
		       "answering E01\n");
	snprintf(reply, 64, "E01");
}

/* addr,len at *p: 0, or -1. */
static int addr_len(const char **p, uint32_t *addr, uint32_t *len)
{
	if (hex_parse(p, addr) != 0 || **p != ',')
		return -1;
	(*p)++;
	return hex_parse(p, len);
}

static int read_mem(const char *p, char *reply)
{
	/* LAB 4: BEGIN SOLUTION */
	uint32_t addr, len;
	static uint8_t buf[PKT_MAX / 2];
	if (addr_len(&p, &addr, &len) != 0 || *p)
		return snprintf(reply, PKT_MAX, "E01");
	if (len > sizeof(buf) - 1)
		len = sizeof(buf) - 1;
	uint32_t got = target_read(addr, buf, len);
	if (got == 0 && len)
		return snprintf(reply, PKT_MAX, "E0e");	/* EFAULT */
	return hex_put(reply, buf, got) - reply;
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here */
	//| (void)p;
	//| return snprintf(reply, PKT_MAX, "E01");
	/* LAB 4: END */
}

/* M addr,len:hex or X addr,len:binary. */
static int write_mem(const char *p, int len_in, int binary, char *reply)
{
	/* LAB 4: BEGIN SOLUTION */
	const char *end = p + len_in;
	uint32_t addr, len;
	static uint8_t buf[PKT_MAX];
	if (addr_len(&p, &addr, &len) != 0 || *p != ':' || len > sizeof(buf))
		return snprintf(reply, PKT_MAX, "E01");
	p++;
	uint32_t n = 0;
	if (binary) {
		while (p < end && n < len) {
			uint8_t c = *p++;
			if (c == '}') {
				if (p == end)
					return snprintf(reply, PKT_MAX, "E01");
				c = *p++ ^ 0x20;
			}
			buf[n++] = c;
		}
		if (n != len || p != end)
			return snprintf(reply, PKT_MAX, "E01");
	} else if ((uint32_t)(end - p) != 2 * len || hex_get(p, buf, len) != 0) {
		return snprintf(reply, PKT_MAX, "E01");
	}
	if (len && target_write(addr, buf, len) != len)
		return snprintf(reply, PKT_MAX, "E0e");
	return snprintf(reply, PKT_MAX, "OK");
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here */
	//| (void)p, (void)len_in, (void)binary;
	//| return snprintf(reply, PKT_MAX, "E01");
	/* LAB 4: END */
}

static int registers(struct dthread *t, char *reply)
{
	/* LAB 4: BEGIN SOLUTION */
	char *out = reply;
	for (uint32_t n = 0; n < GP_REGS; n++) {
		uint32_t v;
		target_reg_get(t, n, &v);
		out = hex_put(out, &v, 4);
	}
	return out - reply;
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here */
	//| (void)t;
	//| return snprintf(reply, PKT_MAX, "E01");
	/* LAB 4: END */
}

static int set_registers(struct dthread *t, const char *p, char *reply)
{
	/* LAB 4: BEGIN SOLUTION */
	uint32_t n = strlen(p) / 8 < GP_REGS ? strlen(p) / 8 : GP_REGS;
	uint32_t v[GP_REGS];
	if (n == 0 || hex_get(p, v, 4 * n) != 0)
		return snprintf(reply, PKT_MAX, "E01");
	for (uint32_t i = 0; i < n; i++)
		target_reg_set(t, i, v[i]);
	return snprintf(reply, PKT_MAX, "OK");
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here */
	//| (void)t, (void)p;
	//| return snprintf(reply, PKT_MAX, "E01");
	/* LAB 4: END */
}

static int one_register(struct dthread *t, const char *p, char *reply)
{
	/* LAB 4: BEGIN SOLUTION */
	uint32_t n, v;
	if (hex_parse(&p, &n) != 0 || *p || n >= ALL_REGS)
		return snprintf(reply, PKT_MAX, "E01");
	if (target_reg_get(t, n, &v) == 0)
		return hex_put(reply, &v, 4) - reply;
	uint32_t bytes = n < 24 ? 10 : 4;	/* st0-7, then the control words */
	memset(reply, 'x', 2 * bytes);
	reply[2 * bytes] = 0;
	return 2 * bytes;
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here */
	//| (void)t, (void)p;
	//| return snprintf(reply, PKT_MAX, "E01");
	/* LAB 4: END */
}

static int set_one_register(struct dthread *t, const char *p, char *reply)
{
	/* LAB 4: BEGIN SOLUTION */
	uint32_t n, v;
	if (hex_parse(&p, &n) != 0 || *p++ != '=' || strlen(p) != 8 || hex_get(p, &v, 4) != 0)
		return snprintf(reply, PKT_MAX, "E01");
	if (n >= GP_REGS)
		return snprintf(reply, PKT_MAX, "E01");
	target_reg_set(t, n, v);
	return snprintf(reply, PKT_MAX, "OK");
	/* LAB 4: SKELETON */
	//| /* LAB 4: your code here */
	//| (void)t, (void)p;
	//| return snprintf(reply, PKT_MAX, "E01");
	/* LAB 4: END */
}

static int breakpoint(const char *p, int set, char *reply)
{
	uint32_t type, addr, kind;
	if (hex_parse(&p, &type) != 0 || *p++ != ',' || addr_len(&p, &addr, &kind) != 0)
		return snprintf(reply, PKT_MAX, "E01");
	if (type != 0 && type != 2)
		return 0;			/* unsupported: an empty reply */
	if (*p && *p != ';')
		return snprintf(reply, PKT_MAX, "E01");
	int rc = type == 2 ? (set ? target_watch_set(addr, kind) : target_watch_clear(addr, kind))
			   : (set ? target_break_set(addr) : target_break_clear(addr));
	return snprintf(reply, PKT_MAX, rc == 0 ? "OK" : "E0e");
}

/* qXfer:features:read:target.xml:offset,length */
static int features(const char *p, char *reply)
{
	uint32_t off, len, size = sizeof(target_xml) - 1;
	if (strncmp(p, "target.xml:", 11) != 0)
		return snprintf(reply, PKT_MAX, "E00");
	p += 11;
	if (addr_len(&p, &off, &len) != 0 || *p)
		return snprintf(reply, PKT_MAX, "E01");
	if (off >= size)
		return snprintf(reply, PKT_MAX, "l");
	if (len > PKT_MAX - 2)
		len = PKT_MAX - 2;
	uint32_t n = size - off < len ? size - off : len;
	reply[0] = off + n < size ? 'm' : 'l';
	memcpy(reply + 1, target_xml + off, n);	/* it holds none of $ # } * */
	reply[n + 1] = 0;
	return n + 1;
}

static int thread_list(char *reply)
{
	char *out = reply;
	*out++ = 'm';
	for (struct dthread *t = tgt.threads; t < tgt.threads + DBG_THREADS; t++)
		if (t->obj)
			out += snprintf(out, 16, "%s%x", out[-1] == 'm' ? "" : ",", target_tid(t));
	*out = 0;
	return out - reply;
}

/* H g|c tid */
static int set_thread(const char *p, char *reply)
{
	char op = *p++;
	uint32_t tid;
	if (p[0] == '-' && p[1] == '1' && !p[2])
		tid = (uint32_t)-1;
	else if (hex_parse(&p, &tid) != 0 || *p)
		return snprintf(reply, PKT_MAX, "E01");
	if (tid != 0 && tid != (uint32_t)-1 && !target_thread(tid))
		return snprintf(reply, PKT_MAX, "E02");
	if (op == 'g')
		tgt.gen_tid = tid;
	else if (op == 'c')
		tgt.cont_tid = tid;
	else
		return snprintf(reply, PKT_MAX, "E01");
	return snprintf(reply, PKT_MAX, "OK");
}

/* c/s [addr]: resume from addr if given. */
static int resume(const char *p, int step, char *reply)
{
	struct dthread *t = target_thread(tgt.cont_tid);
	uint32_t addr;
	if (*p) {
		if (hex_parse(&p, &addr) != 0 || *p)
			return snprintf(reply, PKT_MAX, "E01");
		if (t)
			t->st.eip = addr;
	}
	target_resume(t, step, !step);
	return 0;
}

int gdb_answer(const char *pkt, int len, char *reply)
{
	struct dthread *g = target_thread(tgt.gen_tid);
	const char *arg = pkt + 1;
	reply[0] = 0;
	gdb_packets++;
	switch (pkt[0]) {
	case '?':
		stop_reply_given(reply);
		return strlen(reply);
	case 'g':
		return g ? registers(g, reply) : snprintf(reply, PKT_MAX, "E02");
	case 'G':
		return g ? set_registers(g, arg, reply) : snprintf(reply, PKT_MAX, "E02");
	case 'p':
		return g ? one_register(g, arg, reply) : snprintf(reply, PKT_MAX, "E02");
	case 'P':
		return g ? set_one_register(g, arg, reply) : snprintf(reply, PKT_MAX, "E02");
	case 'm':
		return read_mem(arg, reply);
	case 'M':
		return write_mem(arg, len - 1, 0, reply);
	case 'X':
		return write_mem(arg, len - 1, 1, reply);
	case 'c':
		return resume(arg, 0, reply);
	case 's':
		return resume(arg, 1, reply);
	case 'Z':
		return breakpoint(arg, 1, reply);
	case 'z':
		return breakpoint(arg, 0, reply);
	case 'H':
		return set_thread(arg, reply);
	case 'T': {
		uint32_t tid;
		if (hex_parse(&arg, &tid) != 0 || *arg)
			return snprintf(reply, PKT_MAX, "E01");
		return snprintf(reply, PKT_MAX, target_thread(tid) && tid ? "OK" : "E02");
	}
	case 'k':
		target_kill(0);
		return -1;
	case 'D':
		target_break_clear_all();
		target_resume(0, 0, 1);
		tgt.attached = 0;
		return snprintf(reply, PKT_MAX, "OK");
	}
	if (strncmp(pkt, "qSupported", 10) == 0) {
		pkt_noack = 0;			/* a new connection starts with acks */
		return snprintf(reply, PKT_MAX, "PacketSize=%x;qXfer:features:read+;swbreak+;"
			       "QStartNoAckMode+;vContSupported+", PKT_MAX);
	}
	if (strcmp(pkt, "QStartNoAckMode") == 0)
		return snprintf(reply, PKT_MAX, "OK");
	if (strncmp(pkt, "qXfer:features:read:", 20) == 0)
		return features(pkt + 20, reply);
	if (strcmp(pkt, "qfThreadInfo") == 0)
		return thread_list(reply);
	if (strcmp(pkt, "qsThreadInfo") == 0)
		return snprintf(reply, PKT_MAX, "l");
	if (strcmp(pkt, "qC") == 0)
		return snprintf(reply, PKT_MAX, "QC%x", g ? target_tid(g) : 0);
	if (strcmp(pkt, "qAttached") == 0)
		return snprintf(reply, PKT_MAX, "1");	/* quitting GDB detaches: the program runs on */
	if (strcmp(pkt, "vCont?") == 0)
		return snprintf(reply, PKT_MAX, "vCont;c;C;s;S;t");
	if (strncmp(pkt, "vCont;", 6) == 0)
		return target_vcont(pkt + 6) == 0 ? 0 : snprintf(reply, PKT_MAX, "E01");
	if (strncmp(pkt, "vKill", 5) == 0) {
		target_kill(0);
		return snprintf(reply, PKT_MAX, "OK");
	}
	return 0;				/* unsupported: the empty reply */
}

/* Answer pkt (its reply sent without the lock). */
static void answer(const char *pkt, int len)
{
	static char reply[PKT_MAX + 1];
	fluke_mutex_lock(&tgt.m->lock);
	int was_running = tgt.running;
	if (!tgt.attached && !tgt.ended) {	/* a GDB after a detach: stop for it */
		target_stop_all();
		tgt.stop = (struct stop){ .pending = 0, .signal = SIG_TRAP };
		tgt.attached = 1;
	}
	int n = len == PKT_TOOLONG ? snprintf(reply, PKT_MAX, "E01") : gdb_answer(pkt, len, reply);
	int quiet = (pkt[0] == 'k' && len >= 0) || (tgt.running && !was_running && n == 0);
	int noack_now = len >= 0 && strcmp(pkt, "QStartNoAckMode") == 0;
	int gone = len >= 0 && (pkt[0] == 'D' || pkt[0] == 'k');
	fluke_mutex_unlock(&tgt.m->lock);
	if (!quiet)
		pkt_send(reply, n < 0 ? 0 : n);
	if (noack_now)
		pkt_noack = 1;		/* after its OK went out with an ack */
	if (gone)
		pkt_noack = 0;		/* that GDB leaves; the next one starts with acks */
}

void gdb_session(void *arg)
{
	static char pkt[PKT_MAX + 1];
	(void)arg;
	target_thread_init();
	for (;;) {
		fluke_mutex_lock(&tgt.m->lock);
		int report = tgt.attached && tgt.stop.pending && (tgt.running || tgt.stop.exited);
		static char reply[64];
		if (report) {
			stop_reply_given(reply);
			tgt.running = 0;
		}
		fluke_mutex_unlock(&tgt.m->lock);
		if (report) {
			pkt_send_str(reply);
			if (tgt.stop.exited) {
				fluke_mutex_lock(&tgt.m->lock);
				tgt.attached = 0;
				fluke_cond_broadcast(&tgt.m->changed);
				fluke_mutex_unlock(&tgt.m->lock);
			}
		}
		int len = pkt_read(pkt, PKT_MAX);
		if (len == PKT_INTERRUPTED)
			continue;		/* a stop to report, perhaps */
		if (len == PKT_BREAK) {
			fluke_mutex_lock(&tgt.m->lock);
			if (tgt.running && !tgt.ended && !tgt.stop.pending) {
				target_stop_all();
				struct dthread *t = target_thread(0);
				tgt.stop = (struct stop){ .pending = 1, .signal = SIG_INT,
							  .tid = t ? target_tid(t) : 0 };
				tgt.running = 1;	/* so that the loop reports it */
			}
			fluke_mutex_unlock(&tgt.m->lock);
			continue;
		}
		answer(pkt, len);
	}
}
