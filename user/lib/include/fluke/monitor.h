/*
 * What every monitor shares (monitors/root, monitors/nest): a table of children;
 * a table of clients, each with one port per Common Protocol and a keeper port,
 * all delivering to one port set with alias = client * FLUKE_MON_PORTS + port;
 * the Parent protocol served for them (GET, EXIT, SPAWN, WAIT, CLIENT); the
 * report of an exception a child does not handle (which ends it); and the server
 * threads. A monitor fills in struct fluke_monitor_ops for the rest.
 *
 * Clients. Who asks is the port a request arrives through, never a word of the
 * request (<fluke/parent.h>). Every child has a client of its own (its Parent
 * port is that client's), and may make more with Parent CLIENT (a monitor, one
 * for each child of its own): each belongs to one child and one owner, the
 * client it was made through, and ends with its owner, by Parent EXIT through
 * its own port, or when its child ends. A monitor that has a parent gives each
 * of its clients a client of its own there (made through the owner's, or for a
 * child's own client through the monitor's Parent): its Parent, Console,
 * MemPool and FileSystem ports at the parent, in up[], which a forwarding
 * monitor sends the client's requests through and a direct one hands out; when
 * the client ends, so does that one (Parent EXIT through it), so the parent
 * takes back everything the client got, at any depth.
 *
 * Threads. Several server threads wait on the port set, so a request that waits
 * (a Console READ for input, a WAIT for a child's end, a request forwarded to the
 * monitor's parent) holds up its own thread only: when the last thread waiting to
 * receive takes a request, it first starts another (FLUKE_MON_THREADS at most).
 * The monitor's main thread starts the first one and sleeps until the top child
 * ends.
 *
 * Invariants:
 *  - m->lock is held by every thread that reads or changes the monitor's state
 *    (its children, clients and whatever its ops keep) or uses the program's
 *    one client exchange (fluke_client_rpc: the Common Protocols' stubs).
 *    Handlers run with it held and release it only while they wait.
 *  - A client's ports exist exactly while it is live; a live client's child is
 *    MON_RUNNING, and its owner (if any) is live.
 *    The one exception: a request a pass-through monitor forwards (ops->serve
 *    NULL) reads its client's entry without it: the client was live when the
 *    request was sent, and a client that ends meanwhile leaves its up[]
 *    references cleared or ended, so the parent refuses the forwarded request.
 *  - m->idle counts the server threads not inside a handler: when it is 0 nobody
 *    may be left to receive a child's EXIT, so no handler waits for one. A
 *    pass-through monitor's forwarding thread stays counted: it never waits in
 *    its handler (the kernel's forward hands the request on at once).
 */
#ifndef FLUKE_MONITOR_H
#define FLUKE_MONITOR_H

#include <fluke/proc.h>
#include <fluke/parent.h>
#include <fluke/port.h>
#include <fluke/mutex.h>
#include <fluke/keeper.h>

#define FLUKE_MON_CHILDREN	8	/* child slots, unless ops->children says */
#define FLUKE_MON_CLIENTS	32	/* clients at once, unless ops->clients says; CLIENT
					 * answers FLUKE_NO_MEMORY past them */
#define FLUKE_MON_NONE		0xffffffffu	/* no owner: a child's own client */
#define FLUKE_MON_NAME		32
#define FLUKE_MON_THREADS	16	/* server threads, at most */

/* A slot's life: FREE -> RUNNING (spawned) -> ENDED (exited or killed; its status
 * waits for a WAIT) -> WAITED (status reported, and kept so that a resent WAIT or
 * SPAWN gets the same answer) -> reused by a spawn once no FREE slot is left. The
 * top child (fluke_monitor_run) goes straight back to FREE. */
enum { MON_FREE, MON_RUNNING, MON_ENDED, MON_WAITED };

/* A client's ports: the services (<fluke/parent.h>), then (a child's own
 * client's) its space's keeper. */
#define FLUKE_MON_KEEPER	FLUKE_SERVICES
#define FLUKE_MON_PORTS		(FLUKE_SERVICES + 1)
#define FLUKE_MON_CLIENT(alias)	((alias) / FLUKE_MON_PORTS)

struct fluke_monitor;

/* Each is called with m->lock held. */
struct fluke_monitor_ops {
	/* The ELF image of the program name: FLUKE_SUCCESS or FLUKE_NOT_FOUND. */
	int (*load)(struct fluke_monitor *m, const char *name, const void **elf, uint32_t *size);
	/* Done with what load gave (may be NULL). */
	void (*unload)(struct fluke_monitor *m, const void *elf);
	/* Answer a Console, MemPool or FileSystem request of client (its child:
	 * m->clients[client].slot). up is an exchange of the serving thread's own,
	 * for calls to the monitor's parent made without m->lock. NULL (a
	 * pass-through monitor: nest): each such request is handed on unchanged
	 * to the same service of client's own client at the parent by the
	 * kernel's forward (fluke_ipc_forward: the parent's server answers the
	 * client itself), without m->lock; m->forwarded counts them. */
	void (*serve)(struct fluke_monitor *m, uint32_t client, uint32_t service,
		      struct fluke_rpc *rpc, struct fluke_rpc *up);
	/* The reference client gets for service (Parent GET), or NULL for its own
	 * port for it at this monitor. NULL: its own port for every service. */
	const fluke_ref_t *(*service)(struct fluke_monitor *m, uint32_t client, uint32_t service);
	/* Client has ended (its ports are gone): give back what it holds (may be
	 * NULL). */
	void (*dropped)(struct fluke_monitor *m, uint32_t client);
	/* Child slot's Parent request rpc->in (GET, EXIT, SPAWN, WAIT or CLIENT),
	 * through any of its clients' ports, has been answered in rpc->out (after
	 * EXIT the child has ended). May be NULL. */
	void (*parent)(struct fluke_monitor *m, uint32_t slot, const struct fluke_rpc *rpc);
	/* Child slot has ended with status: by Parent EXIT (faulted 0), or ended by
	 * the monitor for an exception it did not handle (faulted 1, status 255).
	 * Its process and clients are gone. May be NULL. */
	void (*ended)(struct fluke_monitor *m, uint32_t slot, int status, int faulted);
	/* May child slot start argv[0] (Parent SPAWN; not called for a SPAWN sent
	 * again, which gets the pid the first got)? FLUKE_SUCCESS, or the error
	 * to answer. NULL: yes. */
	int (*spawn)(struct fluke_monitor *m, uint32_t slot, int argc, char **argv);
	/* May child slot have the I/O ports [first, first + count) (Parent IOPORTS)?
	 * Nonzero: yes, whatever this monitor can get from its parent. NULL: yes. */
	int (*ioports)(struct fluke_monitor *m, uint32_t slot, uint32_t first, uint32_t count);
	/* An exception of child slot's thread that its own handler did not take (its
	 * space's keeper: the kernel's report k, the thread's reference in
	 * rpc->in_ref). Nonzero: the hook took it: it ended the child
	 * (fluke_monitor_end, the process manager's signals), or changed the thread's
	 * registers and let it run, or stopped it with get_state (the debugger; a
	 * keeper reply that then finds nobody waiting is dropped). 0, or NULL: the
	 * library reports it and ends the child (status 255). */
	int (*exception)(struct fluke_monitor *m, uint32_t slot, const fluke_keeper_msg_t *k,
			 struct fluke_rpc *rpc);
	/* Sizes of the tables; 0: FLUKE_MON_CHILDREN and FLUKE_MON_CLIENTS. */
	uint32_t children, clients;
	/* Server threads started at once (at most FLUKE_MON_THREADS); 0: one, and
	 * more as requests need them. A monitor that must use the same memory
	 * whatever the timing (a leak test's) starts them all. */
	uint32_t threads;
};

struct fluke_client {
	fluke_port_t ports[FLUKE_MON_PORTS];
	fluke_ref_t port_refs[FLUKE_MON_PORTS];
	fluke_ref_t up[FLUKE_SERVICES];	/* its client at the monitor's parent, if any */
	uint32_t live;			/* 0: free */
	uint32_t serial;		/* new each time it is made: tells reuses apart;
					 * 0: never made (no reference objects yet) */
	uint32_t slot;			/* the child it belongs to */
	uint32_t owner;			/* made through that client; FLUKE_MON_NONE: the
					 * child's own */
	uint32_t request;		/* the CLIENT request that made it */
};

struct fluke_child {
	struct fluke_proc proc;
	uint32_t state;			/* MON_* */
	uint32_t pid;			/* slot + m->nchildren * generation */
	int status;			/* once MON_ENDED */
	uint32_t client;		/* its own client (once MON_RUNNING) */
	uint32_t spawner;		/* pid of the child whose SPAWN started it; 0: none */
	uint32_t request;		/* that SPAWN's request id */
	char name[FLUKE_MON_NAME];
};

/* A global: it holds objects. */
struct fluke_monitor {
	const char *name;		/* for messages: "root", "nest" */
	const struct fluke_monitor_ops *ops;
	fluke_pset_t pset;
	fluke_ref_t pset_ref;
	fluke_mutex_t lock;		/* see the invariants above */
	fluke_cond_t changed;		/* broadcast whenever a child ends */
	struct fluke_child *children;	/* nchildren of them: the builtin ones, or */
	struct fluke_client *clients;	/* more (malloc) if ops asks for more */
	uint32_t nchildren, nclients;
	struct fluke_child builtin_children[FLUKE_MON_CHILDREN];
	struct fluke_client builtin_clients[FLUKE_MON_CLIENTS];
	uint32_t generation, serials;
	uint32_t top_pid;		/* the child whose end ends fluke_monitor_run */
	uint32_t threads;		/* server threads started */
	uint32_t idle;			/* of them, not in a handler */
	_Atomic uint32_t forwarded;	/* requests passed up without the lock (ops->serve
					 * NULL) */
	uint32_t waits;			/* WAIT requests received */
	uint32_t child_flags;		/* each child's thread starts with these flags
					 * (<fluke/proc.h>); set before fluke_monitor_start */
	int done, status;
};

/* Returns FLUKE_SUCCESS, or FLUKE_NO_MEMORY for the tables. */
int fluke_monitor_init(struct fluke_monitor *m, const char *name,
		       const struct fluke_monitor_ops *ops);
/* The slot of child pid (pid % m->nchildren): its child, whichever pid it has now. */
struct fluke_child *fluke_monitor_child(struct fluke_monitor *m, uint32_t pid);
/* For ops->serve: send the request in rpc unchanged to the same service of
 * client's own client at m's parent (up[service]) and put the answer in
 * rpc->out, without m->lock while the parent may keep it waiting (a Console
 * READ), so the other threads serve on. up: the exchange serve was given. */
void fluke_monitor_forward(struct fluke_monitor *m, uint32_t client, uint32_t service,
			   struct fluke_rpc *rpc, struct fluke_rpc *up);
/* ops->load and ops->unload for a monitor that reads its programs from its
 * parent's FileSystem (nest, trace, pm): the whole file into the heap, freed after
 * (with m->lock held: the client exchange). */
int fluke_monitor_load_fs(struct fluke_monitor *m, const char *name, const void **elf,
			  uint32_t *size);
void fluke_monitor_unload_fs(struct fluke_monitor *m, const void *elf);
/* End running child slot with status (faulted: for an exception), as an EXIT
 * would: its process and clients go, ops->ended runs, waiters wake. m->lock held. */
void fluke_monitor_end(struct fluke_monitor *m, uint32_t slot, int status, int faulted);
/* Replace running child slot's program by argv[0] (exec): it keeps its slot and
 * pid, and gets a new process and a new client (what the old program got
 * through its clients goes back). FLUKE_NOT_FOUND or FLUKE_INVALID_ARGUMENT
 * (no such program, not an ELF file) leave the old program running; once the
 * old one is gone, a failure (FLUKE_NO_MEMORY) ends the child with status 127.
 * m->lock held. */
int fluke_monitor_exec(struct fluke_monitor *m, uint32_t slot, int argc, char **argv);
/* A new child copied from running child slot (fork), by its request (a resend
 * finds the child it made): a slot and a client of its own, then copy(m, slot,
 * to) builds child to's process (m->children[to].proc, with the client's ports
 * m->clients[m->children[to].client]) and starts it, or fails having left
 * nothing. Its pid in *pid. FLUKE_NO_MEMORY (no slot or client) or copy's
 * error. m->lock held. */
int fluke_monitor_fork(struct fluke_monitor *m, uint32_t slot, uint32_t request,
		       int (*copy)(struct fluke_monitor *m, uint32_t from, uint32_t to),
		       uint32_t *pid);
/* A new child named name whose process build(m, to, arg) makes (a restore from
 * a checkpoint, a fork): a slot and a client of its own, then build fills in
 * m->children[to].proc (with the client's ports m->clients[m->children[to].client])
 * and starts it, or fails having left nothing. Its pid in *pid.
 * FLUKE_NO_MEMORY (no slot or client) or build's error. m->lock held, or before
 * fluke_monitor_run. */
int fluke_monitor_adopt(struct fluke_monitor *m, const char *name,
			int (*build)(struct fluke_monitor *m, uint32_t to, void *arg), void *arg,
			uint32_t *pid);
/* For a build of fluke_monitor_adopt rebuilding a child that had more clients
 * (a restore): a new client of child slot made through client owner, as a
 * Parent CLIENT request with that id would have made it (a resend of that
 * request finds it); its index in *client. FLUKE_NO_MEMORY, or what making its
 * client at the parent failed with. It ends with its owner. m->lock held. */
int fluke_monitor_client(struct fluke_monitor *m, uint32_t slot, uint32_t owner,
			 uint32_t request, uint32_t *client);
/* "Page Fault", "Divide Error", ...: the name of a FLUKE_EXC_* exception. */
const char *fluke_exception_name(uint32_t exc);
/* Load and start argv[0] as a new child; its pid in *pid. FLUKE_SUCCESS,
 * FLUKE_NOT_FOUND (no such program, or one fluke_is_program refuses),
 * FLUKE_NO_MEMORY (no slot, client or memory) or FLUKE_INVALID_ARGUMENT (not an
 * ELF program). With m->lock held, or before
 * fluke_monitor_run. */
int fluke_monitor_spawn(struct fluke_monitor *m, int argc, char **argv, uint32_t *pid);
struct fluke_conf;
/* Set m up as name and start the next level of conf (the next monitor of its
 * stack, or its program) as m's first child, pid in *pid. On failure it says
 * why on the console and returns the error. */
int fluke_monitor_start(struct fluke_monitor *m, const char *name,
			const struct fluke_monitor_ops *ops, const struct fluke_conf *conf,
			uint32_t *pid);
/* Serve every child, on server threads, until the child top_pid ends; write
 * METRIC parent-wait monitor=NAME requests=N (the WAIT requests received) and
 * return its exit status. It returns with m->lock held, so no handler runs after
 * it: the caller reports and exits. */
int fluke_monitor_run(struct fluke_monitor *m, uint32_t top_pid);


#endif
