/* The machinery every monitor shares (<fluke/monitor.h>). */
#include <fluke/monitor.h>
#include <fluke/bootconf.h>
#include <fluke/start.h>
#include <fluke/thread.h>
#include <fluke/keeper.h>
#include <fluke/ref.h>
#include <fluke/fs.h>
#include <fluke/abi/error.h>
#include <fluke/test.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERVER_STACK	(16 * 1024)

/* A server thread and what it owns; made by add_server, never freed (it serves
 * until the monitor ends). */
struct server {
	fluke_thread_t thread;
	struct fluke_monitor *m;
	struct fluke_rpc rpc;		/* the request it handles */
	struct fluke_rpc up;		/* its own calls to the monitor's parent */
	char bulk[FLUKE_RPC_BULK_MAX];	/* up's bulk: a forwarded bulk reply's tail */
	char stack[SERVER_STACK];
};

/* The live client whose port has alias, or NULL. */
static struct fluke_client *client_of(struct fluke_monitor *m, uint32_t alias)
{
	uint32_t i = FLUKE_MON_CLIENT(alias);
	return i < m->nclients && m->clients[i].live ? &m->clients[i] : 0;
}

/* Client i's owner (the client it was made through), or for a child's own
 * client the monitor itself: the Parent port at this monitor's parent to make
 * i's client there through. */
static const fluke_ref_t *up_owner(struct fluke_monitor *m, struct fluke_client *cl)
{
	return cl->owner == FLUKE_MON_NONE ? fluke_parent()
					   : &m->clients[cl->owner].up[FLUKE_SVC_PARENT];
}

/* Give cl a client of its own at this monitor's parent, if it has one: its
 * Parent port and, through that, its service ports. */
static int up_make(struct fluke_monitor *m, struct fluke_client *cl)
{
	if (!fluke_parent())
		return FLUKE_SUCCESS;
	int rc = fluke_parent_client(up_owner(m, cl), &cl->up[FLUKE_SVC_PARENT]);
	for (uint32_t s = 1; s < FLUKE_SERVICES && rc == FLUKE_SUCCESS; s++)
		rc = fluke_parent_get_on(&cl->up[FLUKE_SVC_PARENT], s, &cl->up[s]);
	if (rc != FLUKE_SUCCESS && fluke_ref_type(&cl->up[FLUKE_SVC_PARENT]) != FLUKE_TYPE_NONE)
		fluke_parent_end(&cl->up[FLUKE_SVC_PARENT]);
	return rc;
}

/* A new client of child slot, made through owner (FLUKE_MON_NONE: the child's
 * own) by its request; NULL with *rc set if none can be had. */
static struct fluke_client *client_make(struct fluke_monitor *m, uint32_t slot, uint32_t owner,
					uint32_t request, int *rc)
{
	struct fluke_client *cl = m->clients;
	while (cl < m->clients + m->nclients && cl->live)
		cl++;
	*rc = FLUKE_NO_MEMORY;
	if (cl == m->clients + m->nclients)
		return 0;
	uint32_t i = cl - m->clients;
	cl->slot = slot;
	cl->owner = owner;
	cl->request = request;
	if (!cl->serial) {		/* its first use: make its reference objects */
		for (uint32_t s = 0; s < FLUKE_MON_PORTS; s++)
			fluke_ref_create(&cl->port_refs[s]);
		for (uint32_t s = 0; s < FLUKE_SERVICES; s++)
			fluke_ref_create(&cl->up[s]);
	}
	for (uint32_t s = 0; s < FLUKE_SERVICES; s++)
		fluke_ref_clear(&cl->up[s]);
	cl->serial = ++m->serials;
	if ((*rc = up_make(m, cl)) != FLUKE_SUCCESS)
		return 0;
	for (uint32_t s = 0; s < FLUKE_MON_PORTS; s++) {
		fluke_port_state_t ps = { .alias = i * FLUKE_MON_PORTS + s };
		fluke_port_create(&cl->ports[s]);
		fluke_port_set_state(&cl->ports[s], &ps, &m->pset_ref);
		fluke_port_reference(&cl->ports[s], &cl->port_refs[s]);
	}
	cl->live = 1;
	return cl;
}

/* End cl and every client made through it: their ports go, the monitor gives
 * back what they hold, and so does the parent for their clients there. */
static void client_drop(struct fluke_monitor *m, struct fluke_client *cl)
{
	uint32_t i = cl - m->clients;
	cl->live = 0;
	for (struct fluke_client *sub = m->clients; sub < m->clients + m->nclients; sub++)
		if (sub->live && sub->owner == i)
			client_drop(m, sub);
	for (uint32_t s = 0; s < FLUKE_MON_PORTS; s++)
		fluke_port_destroy(&cl->ports[s]);
	if (m->ops->dropped)
		m->ops->dropped(m, i);
	if (fluke_ref_type(&cl->up[FLUKE_SVC_PARENT]) != FLUKE_TYPE_NONE)
		fluke_parent_end(&cl->up[FLUKE_SVC_PARENT]);
}

const char *fluke_exception_name(uint32_t exc)
{
	switch (exc) {
	case FLUKE_EXC_DIVIDE: return "Divide Error";
	case FLUKE_EXC_DEBUG: return "Debug";
	case FLUKE_EXC_BREAKPOINT: return "Breakpoint";
	case FLUKE_EXC_INVALID_OP: return "Invalid Opcode";
	case FLUKE_EXC_GENERAL: return "General Protection";
	case FLUKE_EXC_PAGE_FAULT: return "Page Fault";
	case FLUKE_EXC_INSANITY: return "Insanity";
	case FLUKE_EXC_CPU: return "CPU Budget Spent";
	default: return "exception";
	}
}

int fluke_monitor_init(struct fluke_monitor *m, const char *name,
		       const struct fluke_monitor_ops *ops)
{
	m->name = name;
	m->ops = ops;
	m->nchildren = ops->children ? ops->children : FLUKE_MON_CHILDREN;
	m->nclients = ops->clients ? ops->clients : FLUKE_MON_CLIENTS;
	m->children = m->nchildren <= FLUKE_MON_CHILDREN ? m->builtin_children
		      : calloc(m->nchildren, sizeof(*m->children));
	m->clients = m->nclients <= FLUKE_MON_CLIENTS ? m->builtin_clients
		     : calloc(m->nclients, sizeof(*m->clients));
	if (!m->children || !m->clients)
		return FLUKE_NO_MEMORY;
	fluke_pset_create(&m->pset);
	fluke_ref_create(&m->pset_ref);
	fluke_pset_reference(&m->pset, &m->pset_ref);
	fluke_mutex_create(&m->lock);
	fluke_cond_create(&m->changed);
	return FLUKE_SUCCESS;
}

struct fluke_child *fluke_monitor_child(struct fluke_monitor *m, uint32_t pid)
{
	return &m->children[pid % m->nchildren];
}

/* A slot for a new child: a free one, else one whose status a WAIT has had. */
static struct fluke_child *unused_slot(struct fluke_monitor *m)
{
	struct fluke_child *waited = 0;
	for (struct fluke_child *c = m->children; c < m->children + m->nchildren; c++) {
		if (c->state == MON_FREE)
			return c;
		if (c->state == MON_WAITED && !waited)
			waited = c;
	}
	return waited;
}

int fluke_monitor_spawn(struct fluke_monitor *m, int argc, char **argv, uint32_t *pid)
{
	struct fluke_child *c = unused_slot(m);
	if (!fluke_is_program(argv[0]))
		return FLUKE_NOT_FOUND;
	if (!c)
		return FLUKE_NO_MEMORY;
	uint32_t slot = c - m->children;
	const void *elf;
	uint32_t size;
	int rc = m->ops->load(m, argv[0], &elf, &size);
	if (rc != FLUKE_SUCCESS)
		return rc;
	struct fluke_client *cl = client_make(m, slot, FLUKE_MON_NONE, 0, &rc);
	c->proc.flags = m->child_flags;
	if (cl)
		rc = fluke_proc_start(&c->proc, elf, size, argc, argv,
				      &cl->port_refs[FLUKE_SVC_PARENT],
				      &cl->port_refs[FLUKE_MON_KEEPER]);
	m->ops->unload(m, elf);
	if (rc != FLUKE_SUCCESS) {
		if (cl)
			client_drop(m, cl);
		return rc;
	}
	strlcpy(c->name, argv[0], sizeof(c->name));
	c->state = MON_RUNNING;
	c->pid = slot + m->nchildren * ++m->generation;
	c->client = cl - m->clients;
	c->spawner = c->request = 0;
	*pid = c->pid;
	return FLUKE_SUCCESS;
}

/* The child, whose process and clients are gone, ended with status. */
static void ended(struct fluke_monitor *m, struct fluke_child *c, int status, int faulted)
{
	uint32_t slot = c - m->children;
	c->state = MON_ENDED;
	c->status = status;
	if (m->ops->ended)
		m->ops->ended(m, slot, status, faulted);
	if (c->pid == m->top_pid) {
		m->done = 1;
		m->status = status;
		c->state = MON_FREE;
	}
	fluke_cond_broadcast(&m->changed);	/* for WAITs, and the main thread */
}

/* The child ended with status (faulted: the monitor ended it for an exception):
 * take everything back. */
static void end(struct fluke_monitor *m, struct fluke_child *c, int status, int faulted)
{
	fluke_proc_destroy(&c->proc);
	client_drop(m, &m->clients[c->client]);
	ended(m, c, status, faulted);
}

void fluke_monitor_forward(struct fluke_monitor *m, uint32_t client, uint32_t service,
			   struct fluke_rpc *rpc, struct fluke_rpc *up)
{
	fluke_mutex_unlock(&m->lock);
	fluke_rpc_forward(&m->clients[client].up[service], up, rpc);
	fluke_mutex_lock(&m->lock);
}

int fluke_monitor_load_fs(struct fluke_monitor *m, const char *name, const void **elf,
			  uint32_t *size)
{
	(void)m;
	return fluke_fs_load_program(name, elf, size);
}

void fluke_monitor_unload_fs(struct fluke_monitor *m, const void *elf)
{
	(void)m;
	free((void *)elf);
}

void fluke_monitor_end(struct fluke_monitor *m, uint32_t slot, int status, int faulted)
{
	end(m, &m->children[slot], status, faulted);
}

int fluke_monitor_exec(struct fluke_monitor *m, uint32_t slot, int argc, char **argv)
{
	struct fluke_child *c = &m->children[slot];
	const void *elf;
	uint32_t size, old = c->client;
	if (!fluke_is_program(argv[0]))
		return FLUKE_NOT_FOUND;
	int rc = m->ops->load(m, argv[0], &elf, &size);
	if (rc != FLUKE_SUCCESS)
		return rc;
	struct fluke_client *cl = fluke_proc_valid(elf, size)
				  ? client_make(m, slot, FLUKE_MON_NONE, 0, &rc) : 0;
	if (!cl) {
		m->ops->unload(m, elf);
		return fluke_proc_valid(elf, size) ? rc : FLUKE_INVALID_ARGUMENT;
	}
	/* The point of no return: the old program goes. */
	fluke_proc_destroy(&c->proc);
	client_drop(m, &m->clients[old]);
	c->client = cl - m->clients;
	strlcpy(c->name, argv[0], sizeof(c->name));
	rc = fluke_proc_start(&c->proc, elf, size, argc, argv, &cl->port_refs[FLUKE_SVC_PARENT],
			      &cl->port_refs[FLUKE_MON_KEEPER]);
	m->ops->unload(m, elf);
	if (rc != FLUKE_SUCCESS) {	/* nothing of the new process is left */
		client_drop(m, cl);
		ended(m, c, 127, 0);
	}
	return rc;
}

/* The child whose own client cl is, or NULL for a client made with CLIENT. */
static struct fluke_child *own_child(struct fluke_monitor *m, struct fluke_client *cl)
{
	return cl->owner == FLUKE_MON_NONE ? &m->children[cl->slot] : 0;
}

static int parent_get(void *ctx, uint32_t alias, uint32_t service, fluke_ref_t *port_out)
{
	struct fluke_monitor *m = ctx;
	struct fluke_client *cl = client_of(m, alias);
	if (!cl || service >= FLUKE_SERVICES)
		return FLUKE_NOT_FOUND;
	const fluke_ref_t *given = m->ops->service ? m->ops->service(m, cl - m->clients, service)
						  : 0;
	fluke_ref_copy(port_out, given ? given : &cl->port_refs[service]);
	return FLUKE_SUCCESS;
}

/* A process's EXIT ends it; a client's made with CLIENT ends that client. */
static int parent_exit(void *ctx, uint32_t alias, int status)
{
	struct fluke_monitor *m = ctx;
	struct fluke_client *cl = client_of(m, alias);
	if (cl && own_child(m, cl))
		end(m, own_child(m, cl), status, 0);
	else if (cl)
		client_drop(m, cl);
	return FLUKE_SUCCESS;
}

/* The kernel's message to the child's space keeper (<fluke/keeper.h>): an
 * exception the child did not handle. Report it and end the child. */
static void keeper(struct fluke_monitor *m, struct fluke_child *c, struct fluke_rpc *rpc)
{
	const fluke_keeper_msg_t *k = (const void *)&rpc->in;
	if (rpc->in_bytes < sizeof(*k))
		return;
	if (m->ops->exception && m->ops->exception(m, c - m->children, k, rpc))
		return;
	uint32_t exc = k->kind == FLUKE_KEEPER_PAGE_FAULT ? FLUKE_EXC_PAGE_FAULT : k->exc;
	printf("%s: %s: %s (code 0x%x) at eip 0x%08x, address 0x%08x; ending it\n", m->name,
	       c->name, fluke_exception_name(exc), k->code, k->eip, k->addr);
	end(m, c, 255, 1);
}

/* Whether child spawner's request (SPAWN or fork) made a child, sent again by a
 * client stopped and resumed: its pid in *pid. */
static int made_by(struct fluke_monitor *m, uint32_t spawner, uint32_t request, uint32_t *pid)
{
	for (struct fluke_child *c = m->children; c < m->children + m->nchildren; c++) {
		if (c->state != MON_FREE && request && c->spawner == spawner &&
		    c->request == request) {
			*pid = c->pid;
			return 1;
		}
	}
	return 0;
}

int fluke_monitor_adopt(struct fluke_monitor *m, const char *name,
			int (*build)(struct fluke_monitor *m, uint32_t to, void *arg), void *arg,
			uint32_t *pid)
{
	struct fluke_child *c;
	int rc;
	if (!(c = unused_slot(m)))
		return FLUKE_NO_MEMORY;
	uint32_t to = c - m->children;
	struct fluke_client *cl = client_make(m, to, FLUKE_MON_NONE, 0, &rc);
	if (!cl)
		return rc;
	c->client = cl - m->clients;
	if ((rc = build(m, to, arg)) != FLUKE_SUCCESS) {
		client_drop(m, cl);
		return rc;
	}
	strlcpy(c->name, name, sizeof(c->name));
	c->state = MON_RUNNING;
	c->pid = to + m->nchildren * ++m->generation;
	c->spawner = c->request = 0;
	*pid = c->pid;
	return FLUKE_SUCCESS;
}

int fluke_monitor_client(struct fluke_monitor *m, uint32_t slot, uint32_t owner,
			 uint32_t request, uint32_t *client)
{
	int rc;
	struct fluke_client *cl = client_make(m, slot, owner, request, &rc);
	if (cl)
		*client = cl - m->clients;
	return cl ? FLUKE_SUCCESS : rc;
}

/* fluke_monitor_fork's build: copy child from into to. */
struct fork_copy {
	int (*copy)(struct fluke_monitor *m, uint32_t from, uint32_t to);
	uint32_t from;
};

static int fork_build(struct fluke_monitor *m, uint32_t to, void *arg)
{
	struct fork_copy *f = arg;
	return f->copy(m, f->from, to);
}

int fluke_monitor_fork(struct fluke_monitor *m, uint32_t slot, uint32_t request,
		       int (*copy)(struct fluke_monitor *m, uint32_t from, uint32_t to),
		       uint32_t *pid)
{
	struct fluke_child *from = &m->children[slot];
	struct fork_copy f = { copy, slot };
	if (made_by(m, from->pid, request, pid))
		return FLUKE_SUCCESS;
	int rc = fluke_monitor_adopt(m, from->name, fork_build, &f, pid);
	if (rc == FLUKE_SUCCESS) {
		struct fluke_child *c = fluke_monitor_child(m, *pid);
		c->spawner = from->pid;
		c->request = request;
	}
	return rc;
}

static int parent_spawn(void *ctx, uint32_t alias, uint32_t request, int argc, char **argv,
			uint32_t *pid)
{
	struct fluke_monitor *m = ctx;
	struct fluke_client *cl = client_of(m, alias);
	if (!cl || !own_child(m, cl))
		return FLUKE_NOT_PERMITTED;
	uint32_t spawner = own_child(m, cl)->pid;
	if (made_by(m, spawner, request, pid))
		return FLUKE_SUCCESS;
	int rc = m->ops->spawn ? m->ops->spawn(m, cl->slot, argc, argv) : FLUKE_SUCCESS;
	if (rc == FLUKE_SUCCESS)
		rc = fluke_monitor_spawn(m, argc, argv, pid);
	if (rc == FLUKE_SUCCESS) {
		struct fluke_child *c = fluke_monitor_child(m, *pid);
		c->spawner = spawner;
		c->request = request;
	}
	return rc;
}

/* Sleep (m->lock released) until child pid, which the asker spawned, ends; a
 * WAIT sent again finds the same state, ended or not. The last thread that
 * could receive the child's EXIT does not wait for it: it answers
 * FLUKE_WOULD_BLOCK. */
static int parent_wait(void *ctx, uint32_t alias, uint32_t pid, int *status)
{
	struct fluke_monitor *m = ctx;
	struct fluke_client *cl = client_of(m, alias);
	struct fluke_child *c = fluke_monitor_child(m, pid);
	if (!cl || !own_child(m, cl))
		return FLUKE_NOT_PERMITTED;
	uint32_t asker = own_child(m, cl)->pid;
	m->waits++;
	while (c->pid == pid && c->spawner == asker && c->state == MON_RUNNING) {
		if (m->idle == 0)
			return FLUKE_WOULD_BLOCK;
		fluke_cond_wait(&m->changed, &m->lock);
	}
	if (c->pid != pid || c->spawner != asker || c->state == MON_FREE)
		return FLUKE_NOT_FOUND;
	*status = c->status;
	c->state = MON_WAITED;
	return FLUKE_SUCCESS;
}

/* A new client of the asker's child, made through the asker's client; a CLIENT
 * sent again finds the one it made. */
static int parent_client(void *ctx, uint32_t alias, uint32_t request, fluke_ref_t *parent_out)
{
	struct fluke_monitor *m = ctx;
	struct fluke_client *cl = client_of(m, alias), *made = m->clients;
	int rc;
	if (!cl)
		return FLUKE_NOT_FOUND;
	uint32_t owner = cl - m->clients;
	while (made < m->clients + m->nclients &&
	       !(request && made->live && made->owner == owner && made->request == request))
		made++;
	if (made == m->clients + m->nclients &&
	    !(made = client_make(m, cl->slot, owner, request, &rc)))
		return rc;
	fluke_ref_copy(parent_out, &made->port_refs[FLUKE_SVC_PARENT]);
	return FLUKE_SUCCESS;
}

/* The asker's child gets the I/O ports, if the ops allow: from this monitor's
 * own space, which asks its own parent for them first if it does not hold them. */
static int parent_ioports(void *ctx, uint32_t alias, uint32_t first, uint32_t count)
{
	struct fluke_monitor *m = ctx;
	struct fluke_client *cl = client_of(m, alias);
	struct fluke_child *c = cl ? own_child(m, cl) : 0;
	if (!c || (m->ops->ioports && !m->ops->ioports(m, cl->slot, first, count)))
		return FLUKE_NOT_PERMITTED;
	int rc = fluke_space_io_permit(&c->proc.space_ref, first, count, 1);
	if (rc == FLUKE_NOT_PERMITTED && fluke_parent()) {
		rc = fluke_parent_ioports(first, count);
		if (rc == FLUKE_SUCCESS)
			rc = fluke_space_io_permit(&c->proc.space_ref, first, count, 1);
	}
	return rc;
}

static const struct fluke_parent_server parent_server = {
	.get = parent_get, .exit = parent_exit, .spawn = parent_spawn, .wait = parent_wait,
	.client = parent_client, .ioports = parent_ioports,
};

static int add_server(struct fluke_monitor *m);

/* The server thread (m->lock held) counts itself out of m->idle; if it was the
 * last one left to receive, it starts another while the pool can grow. */
static void busy(struct fluke_monitor *m)
{
	if (--m->idle == 0 && m->threads < FLUKE_MON_THREADS)
		add_server(m);
}

/* A pass-through monitor's service request (ops->serve NULL): handed on without
 * m->lock (the invariants' exception) to the same service of the client's own
 * client at the parent, whose server answers the client itself (rpc->pass: the
 * kernel's forward, so this thread never waits for the parent and the message
 * never passes through this monitor's memory). */
static void pass_up(struct fluke_monitor *m, struct fluke_rpc *rpc)
{
	struct fluke_client *cl = client_of(m, rpc->alias);
	if (cl) {
		m->forwarded++;
		rpc->pass = &cl->up[rpc->alias % FLUKE_MON_PORTS];
	} else {
		fluke_rpc_begin(rpc, FLUKE_NOT_FOUND);
	}
}

/* A server thread's handler: with m->lock held, and another thread left to
 * receive if the pool can grow, answer the request by its port. */
static void handle(void *ctx, struct fluke_rpc *rpc)
{
	struct server *s = ctx;
	struct fluke_monitor *m = s->m;
	uint32_t port = rpc->alias % FLUKE_MON_PORTS;
	if (!m->ops->serve && port != FLUKE_SVC_PARENT && port != FLUKE_MON_KEEPER) {
		pass_up(m, rpc);
		return;
	}
	fluke_mutex_lock(&m->lock);
	busy(m);
	struct fluke_client *cl = client_of(m, rpc->alias);
	if (!cl) {
		fluke_rpc_begin(rpc, FLUKE_NOT_FOUND);
	} else if (port == FLUKE_MON_KEEPER) {
		if (own_child(m, cl))
			keeper(m, own_child(m, cl), rpc);
	} else if (port == FLUKE_SVC_PARENT) {
		uint32_t slot = cl->slot;
		fluke_parent_dispatch(&parent_server, m, rpc);
		if (m->ops->parent)
			m->ops->parent(m, slot, rpc);
	} else {
		m->ops->serve(m, cl - m->clients, port, rpc, &s->up);
	}
	m->idle++;
	fluke_mutex_unlock(&m->lock);
}

static void server(void *arg)
{
	struct server *s = arg;
	fluke_rpc_init(&s->rpc);
	fluke_rpc_init(&s->up);
	s->up.bulk = s->bulk;
	fluke_rpc_serve(&s->m->pset, &s->rpc, handle, s);
}

/* Start one more server thread (m->lock held). Its stack is written whole first:
 * under a pager whose memory has run out, the thread that must report a child's
 * refused fault would otherwise fault itself on a stack page never touched. */
static int add_server(struct fluke_monitor *m)
{
	struct server *s = malloc(sizeof(*s));
	if (!s)
		return FLUKE_NO_MEMORY;
	s->m = m;
	memset(s->stack, 0, sizeof(s->stack));
	int rc = fluke_thread_start(&s->thread, server, s, s->stack, sizeof(s->stack),
				    FLUKE_PRIO_DEFAULT);
	if (rc != FLUKE_SUCCESS) {
		free(s);
		return rc;
	}
	m->threads++;
	m->idle++;
	return FLUKE_SUCCESS;
}

int fluke_monitor_run(struct fluke_monitor *m, uint32_t top_pid)
{
	fluke_mutex_lock(&m->lock);
	m->top_pid = top_pid;
	m->done = 0;
	do {
		if (add_server(m) != FLUKE_SUCCESS) {
			printf("%s: no memory for a server thread\n", m->name);
			return 255;
		}
	} while (m->threads < m->ops->threads && m->threads < FLUKE_MON_THREADS);
	while (!m->done)
		fluke_cond_wait(&m->changed, &m->lock);
	test_record("METRIC", "parent-wait monitor=%s requests=%u", m->name, m->waits);
	return m->status;
}

int fluke_monitor_start(struct fluke_monitor *m, const char *name,
			const struct fluke_monitor_ops *ops, const struct fluke_conf *conf,
			uint32_t *pid)
{
	static char buf[512];
	char *argv[FLUKE_CONF_WORDS + 4];
	int argc = fluke_conf_next(conf, argv, FLUKE_CONF_WORDS + 4, buf, sizeof(buf));
	if (argc < 0) {
		printf("%s: the boot configuration is too long\n", name);
		return FLUKE_INVALID_ARGUMENT;
	}
	int rc = fluke_monitor_init(m, name, ops);
	if (rc == FLUKE_SUCCESS)
		rc = fluke_monitor_spawn(m, argc, argv, pid);
	if (rc != FLUKE_SUCCESS)
		printf("%s: cannot start %s (error %d)\n", name, argv[0], rc);
	return rc;
}
