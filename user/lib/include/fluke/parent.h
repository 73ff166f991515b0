/*
 * The Parent protocol: a process's only initial capability (<fluke/start.h>).
 * Through it a process asks for the other services, starts and waits for other
 * programs and reports how it ended. Servers (monitors) fill in struct
 * fluke_parent_server and pass requests to fluke_parent_dispatch.
 *
 * Clients. The server knows who asks from the port a request arrives through,
 * never from the request: each client has its own Parent, Console, MemPool and
 * FileSystem ports at the server (handouts/overview.md, "Clients"). A process's
 * Parent port is its own client's. CLIENT makes a new client for the asker to
 * hand on (a monitor, for a child of its own): its Parent port, through which
 * GET gives that client's service ports and EXIT ends the client (the server
 * takes back everything given through its ports, and every client made through
 * it). The new client belongs to the asker: it ends when the asker ends.
 * SPAWN and WAIT are a process's: a client made with CLIENT has neither.
 * IOPORTS asks for I/O ports (<fluke/abi/io.h>) for a user-level driver (the
 * debugger's serial line): a monitor that does not hold them asks its own
 * parent first, then passes them on to the asker's space, if its policy lets
 * that child have them (the root lends only COM2); else FLUKE_NOT_PERMITTED. It
 * is a process's too, and sent again it does the same again.
 *
 * Every request may arrive twice (a client stopped and resumed sends it again,
 * handouts/overview.md), so each op gives the same answer to a resend:
 *  - SPAWN and CLIENT carry a request id (<fluke/rpc.h>). The server remembers,
 *    with each child it starts and each client it makes, the id and the client
 *    that asked; a request whose id it has seen from that client answers that
 *    child's pid (that client's port) again instead of doing it twice.
 *  - WAIT waits in the server (the client's thread sleeps in its call) until the
 *    child ends, then answers its status. The server keeps the status after
 *    answering, so a WAIT sent again gets it again; only when the server's slots
 *    run out is the child forgotten (FLUKE_NOT_FOUND). FLUKE_WOULD_BLOCK means
 *    the server has no thread to spare to wait with: yield and ask again. A
 *    process may WAIT only for the children it spawned (else FLUKE_NOT_FOUND).
 */
#ifndef FLUKE_PARENT_H
#define FLUKE_PARENT_H

#include <fluke/rpc.h>

/* The services a parent hands out. */
enum {
	FLUKE_SVC_PARENT, FLUKE_SVC_CONSOLE, FLUKE_SVC_MEMPOOL, FLUKE_SVC_FS,
	FLUKE_SVC_BLOCK,	/* <fluke/block.h> */
	FLUKE_SVC_PROCESS,	/* <fluke/process.h>: a process manager's (others
				 * answer every request FLUKE_NOT_FOUND) */
	FLUKE_SERVICES
};

enum {
	FLUKE_PARENT_GET = 1,	/* arg0 service -> reference to its port */
	FLUKE_PARENT_EXIT,	/* arg0 status; the parent ends the process (or the
				 * client made with CLIENT) */
	FLUKE_PARENT_SPAWN,	/* arg0 argc, arg2 request, data the NUL-terminated
				 * words -> arg0 pid */
	FLUKE_PARENT_WAIT,	/* arg0 pid -> arg0 status, once it has ended */
	FLUKE_PARENT_CLIENT,	/* arg2 request -> reference to a new client's Parent
				 * port */
	FLUKE_PARENT_IOPORTS,	/* arg0 first, arg1 count -> nothing: the asker's space
				 * now holds the I/O ports [first, first + count) */
};

#define FLUKE_PARENT_MAX_ARGS	32

/* The reference to service's port, asked of the Parent once and kept; NULL for
 * the first task (it has no parent) or if the parent does not offer it. */
const fluke_ref_t *fluke_service(uint32_t service);

/* Client stubs, through the caller's own Parent reference. */
int fluke_parent_get(uint32_t service, fluke_ref_t *port_out);
int fluke_parent_exit(int status);
int fluke_parent_spawn(int argc, char **argv, uint32_t *pid);
int fluke_parent_wait(uint32_t pid, int *status);
int fluke_parent_ioports(uint32_t first, uint32_t count);
/* Through the Parent port parent (a client's, from fluke_parent_client): GET,
 * CLIENT (a new client made through it, its Parent port in *client_out) and
 * EXIT (the client ends: everything given through its ports goes back). */
int fluke_parent_get_on(const fluke_ref_t *parent, uint32_t service, fluke_ref_t *port_out);
int fluke_parent_client(const fluke_ref_t *parent, fluke_ref_t *client_out);
int fluke_parent_end(const fluke_ref_t *parent);

/* argv as a request's words (SPAWN, and the Process protocol's EXEC): arg0 argc,
 * the data the NUL-terminated words; FLUKE_INVALID_ARGUMENT if argc is out of
 * [1, FLUKE_PARENT_MAX_ARGS] or they do not fit. */
int fluke_parent_put_words(struct fluke_rpc *rpc, int argc, char **argv);
/* The server's side: split rpc->in's data into its argc words, argv[argc] = NULL
 * (argv has room for FLUKE_PARENT_MAX_ARGS + 1); -1 unless exactly argc are there. */
int fluke_parent_words(struct fluke_rpc *rpc, uint32_t argc, char **argv);

struct fluke_parent_server {
	int (*get)(void *ctx, uint32_t alias, uint32_t service, fluke_ref_t *port_out);
	int (*exit)(void *ctx, uint32_t alias, int status);
	int (*spawn)(void *ctx, uint32_t alias, uint32_t request, int argc, char **argv,
		     uint32_t *pid);
	int (*wait)(void *ctx, uint32_t alias, uint32_t pid, int *status);
	int (*client)(void *ctx, uint32_t alias, uint32_t request, fluke_ref_t *parent_out);
	int (*ioports)(void *ctx, uint32_t alias, uint32_t first, uint32_t count);
};
/* Decode rpc->in, call the handler, encode its answer in rpc->out. */
void fluke_parent_dispatch(const struct fluke_parent_server *s, void *ctx, struct fluke_rpc *rpc);

#endif
