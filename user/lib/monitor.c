/* The machinery every monitor shares (<fluke/monitor.h>). */
#include <fluke/monitor.h>
#include <fluke/bootconf.h>
#include <fluke/start.h>
#include <fluke/thread.h>
#include <fluke/keeper.h>
#include <fluke/ref.h>
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
	char stack[SERVER_STACK];
};

static struct fluke_child *child_of(struct fluke_monitor *m, uint32_t alias)
{
	uint32_t slot = FLUKE_MON_SLOT(alias);
	if (slot >= FLUKE_MON_CHILDREN || m->children[slot].state != MON_RUNNING)
		return 0;
	return &m->children[slot];
}

static const char *exception_name(uint32_t exc)
{
	switch (exc) {
	case FLUKE_EXC_DIVIDE: return "Divide Error";
	case FLUKE_EXC_DEBUG: return "Debug";
	case FLUKE_EXC_BREAKPOINT: return "Breakpoint";
	case FLUKE_EXC_INVALID_OP: return "Invalid Opcode";
	case FLUKE_EXC_GENERAL: return "General Protection";
	case FLUKE_EXC_PAGE_FAULT: return "Page Fault";
	case FLUKE_EXC_INSANITY: return "Insanity";
	default: return "exception";
	}
}

void fluke_monitor_init(struct fluke_monitor *m, const char *name,
			const struct fluke_monitor_ops *ops)
{
	m->name = name;
	m->ops = ops;
	fluke_pset_create(&m->pset);
	fluke_ref_create(&m->pset_ref);
	fluke_pset_reference(&m->pset, &m->pset_ref);
	fluke_mutex_create(&m->lock);
	fluke_cond_create(&m->changed);
	for (uint32_t i = 0; i < FLUKE_MON_CHILDREN; i++)
		for (uint32_t s = 0; s < FLUKE_MON_PORTS; s++)
			fluke_ref_create(&m->children[i].port_refs[s]);
}

/* A slot for a new child: a free one, else one whose status a WAIT has had. */
static struct fluke_child *unused_slot(struct fluke_monitor *m)
{
	struct fluke_child *waited = 0;
	for (struct fluke_child *c = m->children; c < m->children + FLUKE_MON_CHILDREN; c++) {
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
	if (!c)
		return FLUKE_NO_MEMORY;
	uint32_t slot = c - m->children;
	const void *elf;
	uint32_t size;
	int rc = m->ops->load(m, argv[0], &elf, &size);
	if (rc != FLUKE_SUCCESS)
		return rc;
	for (uint32_t s = 0; s < FLUKE_MON_PORTS; s++) {
		fluke_port_state_t ps = { .alias = slot * FLUKE_MON_PORTS + s };
		fluke_port_create(&c->ports[s]);
		fluke_port_set_state(&c->ports[s], &ps, &m->pset_ref);
		fluke_port_reference(&c->ports[s], &c->port_refs[s]);
	}
	rc = fluke_proc_start(&c->proc, elf, size, argc, argv, &c->port_refs[FLUKE_SVC_PARENT],
			      &c->port_refs[FLUKE_MON_KEEPER]);
	m->ops->unload(m, elf);
	if (rc != FLUKE_SUCCESS) {
		for (uint32_t s = 0; s < FLUKE_MON_PORTS; s++)
			fluke_port_destroy(&c->ports[s]);
		return rc;
	}
	strlcpy(c->name, argv[0], sizeof(c->name));
	c->state = MON_RUNNING;
	c->pid = slot + FLUKE_MON_CHILDREN * ++m->generation;
	c->client = fluke_ref_hash(&c->proc.space_ref);
	c->spawner = c->request = 0;
	*pid = c->pid;
	return FLUKE_SUCCESS;
}

/* The child ended with status: take everything back. */
static void end(struct fluke_monitor *m, struct fluke_child *c, int status)
{
	uint32_t slot = c - m->children;
	fluke_proc_destroy(&c->proc);
	for (uint32_t s = 0; s < FLUKE_MON_PORTS; s++)
		fluke_port_destroy(&c->ports[s]);
	if (m->ops->ended)
		m->ops->ended(m, slot);
	c->state = MON_ENDED;
	c->status = status;
	if (c->pid == m->top_pid) {
		m->done = 1;
		m->status = status;
		c->state = MON_FREE;
	}
	fluke_cond_broadcast(&m->changed);	/* for WAITs, and the main thread */
}

static int parent_get(void *ctx, uint32_t alias, uint32_t service, fluke_ref_t *port_out)
{
	struct fluke_monitor *m = ctx;
	struct fluke_child *c = child_of(m, alias);
	if (!c || service >= FLUKE_SERVICES)
		return FLUKE_NOT_FOUND;
	const fluke_ref_t *given = m->ops->service(m, service);
	fluke_ref_copy(port_out, given ? given : &c->port_refs[service]);
	return FLUKE_SUCCESS;
}

static int parent_exit(void *ctx, uint32_t alias, int status)
{
	struct fluke_child *c = child_of(ctx, alias);
	if (c)
		end(ctx, c, status);
	return FLUKE_SUCCESS;
}

/* The kernel's message to the child's space keeper (<fluke/keeper.h>): an
 * exception the child did not handle. Report it and end the child. */
static void keeper(struct fluke_monitor *m, struct fluke_child *c, struct fluke_rpc *rpc)
{
	const fluke_keeper_msg_t *k = (const void *)&rpc->in;
	if (rpc->in_bytes < sizeof(*k))
		return;
	uint32_t exc = k->kind == FLUKE_KEEPER_PAGE_FAULT ? FLUKE_EXC_PAGE_FAULT : k->exc;
	printf("%s: %s: %s (code 0x%x) at eip 0x%08x, address 0x%08x; ending it\n", m->name,
	       c->name, exception_name(exc), k->code, k->eip, k->addr);
	end(m, c, 255);
}

static int parent_spawn(void *ctx, uint32_t alias, uint32_t request, int argc, char **argv,
			uint32_t *pid)
{
	struct fluke_monitor *m = ctx;
	uint32_t spawner = m->children[FLUKE_MON_SLOT(alias)].pid;
	/* A request sent again (its client stopped and resumed) finds its child. */
	for (struct fluke_child *c = m->children; c < m->children + FLUKE_MON_CHILDREN; c++) {
		if (c->state != MON_FREE && request && c->spawner == spawner &&
		    c->request == request) {
			*pid = c->pid;
			return FLUKE_SUCCESS;
		}
	}
	int rc = fluke_monitor_spawn(m, argc, argv, pid);
	if (rc == FLUKE_SUCCESS) {
		struct fluke_child *c = &m->children[*pid % FLUKE_MON_CHILDREN];
		c->spawner = spawner;
		c->request = request;
	}
	return rc;
}

/* Sleep (m->lock released) until child pid ends; a WAIT sent again finds the same
 * state, ended or not. The last thread that could receive the child's EXIT does
 * not wait for it: it answers FLUKE_WOULD_BLOCK. */
static int parent_wait(void *ctx, uint32_t alias, uint32_t pid, int *status)
{
	struct fluke_monitor *m = ctx;
	struct fluke_child *c = &m->children[pid % FLUKE_MON_CHILDREN];
	(void)alias;
	m->waits++;
	while (c->pid == pid && c->state == MON_RUNNING) {
		if (m->idle == 0)
			return FLUKE_WOULD_BLOCK;
		fluke_cond_wait(&m->changed, &m->lock);
	}
	if (c->pid != pid || c->state == MON_FREE)
		return FLUKE_NOT_FOUND;
	*status = c->status;
	c->state = MON_WAITED;
	return FLUKE_SUCCESS;
}

static const struct fluke_parent_server parent_server = {
	.get = parent_get, .exit = parent_exit, .spawn = parent_spawn, .wait = parent_wait,
};

static int add_server(struct fluke_monitor *m);

/* A server thread's handler: with m->lock held, and another thread left to
 * receive if the pool can grow, answer the request by its port. */
static void handle(void *ctx, struct fluke_rpc *rpc)
{
	struct server *s = ctx;
	struct fluke_monitor *m = s->m;
	fluke_mutex_lock(&m->lock);
	if (--m->idle == 0 && m->threads < FLUKE_MON_THREADS)
		add_server(m);
	struct fluke_child *c = child_of(m, rpc->alias);
	uint32_t port = rpc->alias % FLUKE_MON_PORTS;
	if (!c)
		fluke_rpc_begin(rpc, FLUKE_NOT_FOUND);
	else if (port == FLUKE_MON_KEEPER)
		keeper(m, c, rpc);
	else if (port == FLUKE_SVC_PARENT)
		fluke_parent_dispatch(&parent_server, m, rpc);
	else
		m->ops->serve(m, FLUKE_MON_SLOT(rpc->alias), port, rpc, &s->up);
	m->idle++;
	fluke_mutex_unlock(&m->lock);
}

static void server(void *arg)
{
	struct server *s = arg;
	fluke_rpc_init(&s->rpc);
	fluke_rpc_init(&s->up);
	fluke_rpc_serve(&s->m->pset, &s->rpc, handle, s);
}

/* Start one more server thread (m->lock held). */
static int add_server(struct fluke_monitor *m)
{
	struct server *s = malloc(sizeof(*s));
	if (!s)
		return FLUKE_NO_MEMORY;
	s->m = m;
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
	if (add_server(m) != FLUKE_SUCCESS) {
		printf("%s: no memory for a server thread\n", m->name);
		return 255;
	}
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
	fluke_monitor_init(m, name, ops);
	int rc = fluke_monitor_spawn(m, argc, argv, pid);
	if (rc != FLUKE_SUCCESS)
		printf("%s: cannot start %s (error %d)\n", name, argv[0], rc);
	return rc;
}
