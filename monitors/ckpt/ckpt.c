/*
 * The checkpointer: ckpt[:OPTIONS] [stack=...] prog=NAME args... starts the next
 * level of its boot configuration as its one child, between it and this
 * monitor's parent, and can save that child whole to its disk and bring it back
 * in a later boot. OPTIONS are words joined by '+':
 *   every=N    take a checkpoint every N ms of guest time (time-stamp counts:
 *              one per instruction or idle nanosecond, handouts/grading.md);
 *              every=Nus: every N microseconds, 1 to 100000000 (a test's exact
 *              instants);
 *   restore    do not start the program: rebuild it from the latest complete
 *              checkpoint on the disk (made by a boot of the same build: the
 *              same image format, monitors below and program) and
 *              let it run on from there;
 *   full       write every checkpoint as a full image (by default, after the
 *              first, a checkpoint is a delta of the pages written since the one
 *              before, which the kernel tracks: ckpt.h);
 *   stop=K     stop the machine (this monitor exits 0) as soon as checkpoint K
 *              is on the disk, its child never resumed: a power cut at that
 *              instant, for tests of restore.
 * A program also asks for a checkpoint itself (<fluke/ckpt.h>), and Ctrl-] c
 * typed at the console takes one (below).
 *
 * What it serves. MemPool from its own pages (<fluke/grant.h>), so every page
 * the child has is one this monitor granted and every object the child makes
 * lies where it can find it (save.c). Console and FileSystem are forwarded to
 * its parent as by nest; Block is refused (FLUKE_NOT_FOUND): the disk is the
 * checkpointer's; Process answers FLUKE_NOT_FOUND but for FLUKE_CKPT_TAKE.
 * Every one of these the child reaches through its own ports, which a restore
 * makes anew and joins the child's references to (restore.c).
 *
 * Resends. A thread stopped inside a call sends it again when it resumes
 * (<fluke/rpc.h>): after a checkpoint, and again after a restore, where the
 * parent that answered the first time is another boot's. So this monitor keeps
 * its last answer to each client's request of each kind that changes something
 * (Console WRITE and READ, MemPool GET and PUT, the checkpoint request) with its
 * request id, answers a resend from it, and saves these answers in the image:
 * a line written before the checkpoint is not written again after a restore.
 *
 * The console key. The child's Console READs pass through here (console_read):
 * the input its parent answers is searched for Ctrl-] (0x1d) followed by c,
 * which is taken out and takes a checkpoint at once, the READ waiting on for
 * input. Ctrl-] Ctrl-] gives the child one Ctrl-], Ctrl-] and any other key gives
 * it both; a Ctrl-] at the end of the input waits for the next key. (QEMU's
 * -nographic keeps Ctrl-a for itself; the shell gives Ctrl-] no meaning.) When
 * all the input was keys, this monitor asks its parent for more with a READ of
 * its own.
 *
 * A checkpoint (take): paused is set, so requests that arrive wait; the child's
 * threads are stopped and the requests still being forwarded for it finish
 * (ckpt_quiesce; a Console READ, which may wait for ever, is not waited for: it
 * is resent); the image is built (save.c) and written (disk.c); the child
 * resumes. It writes "ckpt: checkpoint N of NAME (KIND): ..." and METRIC
 * ckpt-save kind=full|incremental threads=N objects=N pages=N written=N
 * bytes=N save=N write=N (the child's pages, the pages and bytes written, the
 * counts for building the image and for writing it). A restore writes "ckpt:
 * restored NAME from checkpoint N: ..." and METRIC ckpt-restore objects=N
 * pages=N read=N rebuild=N (counts for reading and checking the image, and for
 * rebuilding); a restore that cannot be done says why, starts nothing and
 * exits 1. When the child ends this monitor exits with its status.
 *
 * The child may be a monitor (nest, pm): the spaces it makes for its own
 * children and everything in them lie in memory this monitor granted, and the
 * clients it makes here (Parent CLIENT, one for each client of its own) are
 * saved with their ports, grants and kept answers (ckpt.h).
 *
 * Known limits: one child; input a Console READ took after the last checkpoint
 * is not read again after a restore, nor is a key console_read holds back (a
 * Ctrl-], or the key after it) at the checkpoint; the answer kept for resends is the last
 * of its kind per client, so of two requests of one kind of one client, both
 * answered but not yet received at a checkpoint, only the later is given again.
 */
#include "ckpt.h"
#include <fluke/bootconf.h>
#include <fluke/start.h>
#include <fluke/ckpt.h>
#include <fluke/console.h>
#include <fluke/fs.h>
#include <fluke/grant.h>
#include <fluke/mempool.h>
#include <fluke/ref.h>
#include <fluke/thread.h>
#include <fluke/tsc.h>
#include <fluke/abi/error.h>
#include <fluke/test.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fluke_monitor mon;
struct answer answers[MAX_ANSWERS];
uint32_t nanswers;

static uint32_t every_us, stop_at, seq, build, top_slot;
static int restore;
static int paused;			/* a checkpoint is being taken */
static uint32_t inflight;		/* the child's requests being forwarded */
static fluke_cond_t quiet, resumed;	/* inflight fell to 0; paused became 0 */
static int have_disk, full_only;
/* Console input on its way to the child (console_read): what came and is not yet
 * given to it (the trigger sequence taken out), whether the last byte was KEY_ESC
 * (held back until the next shows what it meant), whether a READ is being served
 * (one at a time: read_done when it ends), the count of this monitor's own READs. */
#define KEY_ESC		0x1d	/* Ctrl-] */
#define KEY_CKPT	'c'	/* after KEY_ESC: take a checkpoint */
#define OWN_READ	0x80000000u	/* in the ids of this monitor's own READs */
static char queue[FLUKE_RPC_DATA + 1];
static uint32_t queued, own_reads;
static int escaped, reading;
static fluke_cond_t read_done;
/* The image being made, the latest checkpoint's (what a delta is against), a
 * delta; each with its malloc size. */
static struct image *buf, *last;
static char *delta;
static uint32_t buf_size, last_size, delta_size;
int tracked;

/* The request kinds whose answers are kept for resends. */
static int kept_kind(uint32_t service, uint32_t op)
{
	return (service == FLUKE_SVC_CONSOLE &&
		(op == FLUKE_CONSOLE_WRITE || op == FLUKE_CONSOLE_READ)) ||
	       (service == FLUKE_SVC_MEMPOOL &&
		(op == FLUKE_MEMPOOL_GET || op == FLUKE_MEMPOOL_PUT)) ||
	       (service == FLUKE_SVC_PROCESS && op == FLUKE_CKPT_TAKE);
}

/* Client's kept answer of that kind (made empty if there is none yet). */
static struct answer *kept(uint32_t client, uint32_t service, uint32_t op)
{
	for (uint32_t i = 0; i < nanswers; i++)
		if (answers[i].client == client && answers[i].service == service &&
		    answers[i].op == op)
			return &answers[i];
	if (nanswers == MAX_ANSWERS)
		return 0;
	struct answer *a = &answers[nanswers++];
	a->client = client;
	a->service = service;
	a->op = op;
	a->id = a->refs = 0;
	return a;
}

static void keep(struct answer *a, uint32_t id, const struct fluke_rpc *rpc)
{
	a->id = id;
	memcpy(&a->reply, &rpc->out, FLUKE_RPC_HEADER + rpc->out.len);
	a->refs = rpc->out_refs;
	if (a->refs)
		fluke_ref_copy(&a->ref, &rpc->out_ref);
}

static void replay(const struct answer *a, struct fluke_rpc *rpc)
{
	memcpy(&rpc->out, &a->reply, FLUKE_RPC_HEADER + a->reply.len);
	rpc->out_refs = a->refs;
	if (a->refs)
		fluke_ref_copy(&rpc->out_ref, &a->ref);
}

void ckpt_quiesce(void)
{
	while (inflight)
		fluke_cond_wait(&quiet, &mon.lock);
}

/* buf as a full image: its memory filled in; its kind, bytes and pages. */
static void full_image(const char **kind, uint32_t *bytes, uint32_t *pages)
{
	image_fill(buf);
	*kind = "full";
	*bytes = image_bytes(buf);
	*pages = buf->memory / PAGE;
}

/* Finish the checkpoint ckpt_save began in buf: a delta of the pages written
 * against last if it can (unless full=), else a full image. Its kind, bytes and
 * pages in *kind, *bytes, *pages. */
static void make_image(const char **kind, uint32_t *bytes, uint32_t *pages)
{
	if (!full_only && last && tracked &&
	    delta_make(last, buf, &delta, &delta_size, bytes, pages) == 0)
		*kind = "incremental";
	else
		full_image(kind, bytes, pages);
}

/* Write it as checkpoint number next: a delta appended to the chain, or a full
 * image (also when the chain cannot take the delta). NULL or why not. */
static const char *write_image(uint32_t next, const char **kind, uint32_t *bytes,
			       uint32_t *pages)
{
	if (strcmp(*kind, "incremental") == 0) {
		if (disk_append(delta, *bytes, next) == 0)
			return NULL;
		full_image(kind, bytes, pages);
	}
	return disk_write(buf, next, build);
}

/* A checkpoint of child slot, which then resumes (or, after checkpoint stop_at,
 * the machine stops). Its number, or 0 if it failed (and said why). */
static uint32_t take(uint32_t slot)
{
	const char *name = mon.children[slot].name, *kind = "";
	if (!have_disk) {
		printf("ckpt: no checkpoint of %s: there is no checkpoint disk\n", name);
		return 0;
	}
	paused = 1;
	uint64_t t0 = fluke_rdtsc();
	const char *why = ckpt_save(slot, &buf, &buf_size);
	uint32_t bytes = 0, written = 0;
	if (!why)
		make_image(&kind, &bytes, &written);
	uint64_t t1 = fluke_rdtsc();
	if (!why)
		why = write_image(seq + 1, &kind, &bytes, &written);
	uint64_t t2 = fluke_rdtsc();
	uint32_t done = 0;
	/* The pages written since are tracked from this checkpoint on; after a
	 * failed one, what was written since the one before is not known. */
	tracked = !why;
	if (why) {
		printf("ckpt: checkpoint of %s failed: %s; it runs on\n", name, why);
	} else {
		done = ++seq;
		uint32_t pages = buf->memory / PAGE;
		printf("ckpt: checkpoint %u of %s (%s): %u threads, %u objects, %u pages, %u "
		       "written\n", done, name, kind, saved_threads, buf->nobjects, pages, written);
		test_record("METRIC", "ckpt-save kind=%s threads=%u objects=%u pages=%u written=%u "
			    "bytes=%u save=%llu write=%llu", kind, saved_threads, buf->nobjects,
			    pages, written, bytes, (unsigned long long)(t1 - t0),
			    (unsigned long long)(t2 - t1));
		/* This image is what the next delta is made against. */
		struct image *t = last;
		uint32_t size = last_size;
		last = buf, last_size = buf_size;
		buf = t, buf_size = size;
		if (done == stop_at) {
			printf("ckpt: stopping the machine after checkpoint %u (stop=%u)\n", done,
			       stop_at);
			exit(0);
		}
	}
	ckpt_resume();
	paused = 0;
	fluke_cond_broadcast(&resumed);
	return done;
}

/* Input bytes from the parent into queue, the sequences taken out: 1 if KEY_ESC
 * KEY_CKPT came (a checkpoint is due). KEY_ESC twice gives the child one KEY_ESC;
 * KEY_ESC and any other byte give it both. queue has room: it is empty when a READ
 * asks the parent, whose answer (n bytes) yields at most n + 1. */
static int take_keys(const char *in, uint32_t n)
{
	int due = 0;
	for (uint32_t i = 0; i < n; i++) {
		char b = in[i];
		if (escaped) {
			escaped = 0;
			if (b == KEY_CKPT) {
				due = 1;
				continue;
			}
			queue[queued++] = KEY_ESC;
			if (b == KEY_ESC)
				continue;
		} else if (b == KEY_ESC) {
			escaped = 1;
			continue;
		}
		queue[queued++] = b;
	}
	return due;
}

/* A Console READ of child slot's client: input from queue, else from the parent
 * with the sequences taken out (KEY_ESC KEY_CKPT takes a checkpoint at once),
 * asking the parent again, with a READ of this monitor's own (an id the child's
 * counts never reach), while none is left. One READ at a time: one sent again
 * while the first is still served (its thread was stopped by a checkpoint and
 * resumed) waits for the first's answer, kept for its id (a), so the two never
 * take different input. */
static void console_read(struct fluke_monitor *m, uint32_t client, uint32_t slot,
			 struct fluke_rpc *rpc, struct fluke_rpc *up, const struct answer *a,
			 uint32_t id)
{
	uint32_t max = rpc->in.arg[0] < FLUKE_RPC_DATA ? rpc->in.arg[0] : FLUKE_RPC_DATA;
	while (reading)
		fluke_cond_wait(&read_done, &m->lock);
	if (id && a && a->id == id) {
		replay(a, rpc);
		return;
	}
	reading = 1;
	uint32_t status = FLUKE_SUCCESS;
	while (!queued && status == FLUKE_SUCCESS) {
		fluke_monitor_forward(m, client, FLUKE_SVC_CONSOLE, rpc, up);
		status = rpc->out.op;
		if (!max)
			break;		/* nothing to take out of an answer of 0 bytes */
		if (status == FLUKE_SUCCESS && take_keys(rpc->out.data, rpc->out.len)) {
			while (paused)
				fluke_cond_wait(&resumed, &m->lock);
			printf("ckpt: Ctrl-] c: a checkpoint\n");
			take(slot);
		}
		rpc->in.arg[FLUKE_RPC_REQUEST] = OWN_READ | ++own_reads;
	}
	rpc->in.arg[FLUKE_RPC_REQUEST] = id;
	if (status == FLUKE_SUCCESS && max) {
		uint32_t n = queued < max ? queued : max;
		fluke_rpc_begin(rpc, FLUKE_SUCCESS);
		memcpy(rpc->out.data, queue, n);
		rpc->out.len = n;
		queued -= n;
		memmove(queue, queue + n, queued);
	}
	reading = 0;
	fluke_cond_broadcast(&read_done);
}

/* MemPool from our pages, Console and FileSystem forwarded (a Console READ
 * through console_read), the checkpoint request taken; the child's own client's
 * kept answers first. */
static void serve(struct fluke_monitor *m, uint32_t client, uint32_t service,
		  struct fluke_rpc *rpc, struct fluke_rpc *up)
{
	uint32_t slot = m->clients[client].slot, op = rpc->in.op;
	uint32_t id = rpc->in.arg[FLUKE_RPC_REQUEST];
	while (paused)
		fluke_cond_wait(&resumed, &m->lock);
	struct answer *a = id && kept_kind(service, op) ? kept(client, service, op) : 0;
	if (a && a->id == id) {
		replay(a, rpc);
		return;
	}
	switch (service) {
	case FLUKE_SVC_MEMPOOL:
		fluke_mempool_dispatch(&fluke_grant_server, 0, rpc);
		break;
	case FLUKE_SVC_PROCESS:
		fluke_rpc_begin(rpc, op == FLUKE_CKPT_TAKE ? FLUKE_SUCCESS : FLUKE_NOT_FOUND);
		if (op != FLUKE_CKPT_TAKE)
			break;
		/* Kept before the image is made, so that the image holds it: the
		 * asker, stopped in this call, resends it after a restore. */
		rpc->out.arg[0] = seq + 1;
		if (a)
			keep(a, id, rpc);
		if (!take(slot))
			fluke_rpc_begin(rpc, FLUKE_NOT_FOUND);
		break;
	case FLUKE_SVC_BLOCK:
		fluke_rpc_begin(rpc, FLUKE_NOT_FOUND);
		break;
	default:
		/* A READ may wait for input for ever: a checkpoint does not wait for it. */
		if (service == FLUKE_SVC_CONSOLE && op == FLUKE_CONSOLE_READ) {
			console_read(m, client, slot, rpc, up, a, id);
			break;
		}
		inflight++;
		fluke_monitor_forward(m, client, service, rpc, up);
		if (!--inflight)
			fluke_cond_broadcast(&quiet);
	}
	if (a)
		keep(a, id, rpc);
}

static void dropped(struct fluke_monitor *m, uint32_t client)
{
	(void)m;
	for (uint32_t i = 0; i < nanswers;) {
		if (answers[i].client != client) {
			i++;
			continue;
		}
		/* The last one moves here; its reference object cannot move (an
		 * object is its address), so what it points to is copied. */
		struct answer *a = &answers[i], *z = &answers[--nanswers];
		a->client = z->client, a->service = z->service, a->op = z->op;
		a->id = z->id, a->refs = z->refs, a->reply = z->reply;
		fluke_ref_copy(&a->ref, &z->ref);
	}
	fluke_grant_reclaim(client);
}

static const struct fluke_monitor_ops ops = {
	.load = fluke_monitor_load_fs, .unload = fluke_monitor_unload_fs, .serve = serve,
	.dropped = dropped,
};

/* every=: a checkpoint each every_us us of guest time while the child runs. */
static void ticker(void *arg)
{
	(void)arg;
	uint64_t period = (uint64_t)every_us * 1000u;
	for (;;) {
		uint64_t next = fluke_rdtsc() + period;
		while (fluke_rdtsc() < next)
			fluke_thread_yield();
		fluke_mutex_lock(&mon.lock);
		if (mon.children[top_slot].state == MON_RUNNING && !paused)
			take(top_slot);
		fluke_mutex_unlock(&mon.lock);
	}
}

/* every=N (ms) or every=Nus: the period in us into *us; 0 if s is neither. */
static int every_option(const char *s, uint32_t *us)
{
	char n[16];
	size_t len = strlen(s);
	if (len > 2 && len < sizeof(n) && strcmp(s + len - 2, "us") == 0) {
		memcpy(n, s, len - 2);
		n[len - 2] = '\0';
		return fluke_conf_number(n, 1, 100000000, us);	/* 100 s */
	}
	if (!fluke_conf_number(s, 1, 3600000, us))
		return 0;
	*us *= 1000;
	return 1;
}

/* Parse mode= (every=N+restore+stop=K); 0, or -1 after saying what is wrong. */
static int options(const char *mode)
{
	static char words[128];
	if (!mode)
		return 0;
	strlcpy(words, mode, sizeof(words));
	for (char *w = words, *next; w; w = next) {
		next = strchr(w, '+');
		if (next)
			*next++ = '\0';
		if (strncmp(w, "every=", 6) == 0 && every_option(w + 6, &every_us))
			continue;
		if (strncmp(w, "stop=", 5) == 0 && fluke_conf_number(w + 5, 1, 1000000, &stop_at))
			continue;
		if (strcmp(w, "restore") == 0 || strcmp(w, "full") == 0) {
			*(w[0] == 'r' ? &restore : &full_only) = 1;
			continue;
		}
		printf("ckpt: bad option '%s' in mode=%s; the options are every=N (ms of guest "
		       "time, 1 to 3600000), restore, full and stop=K (checkpoints), joined by +, "
		       "e.g. ckpt:every=50+stop=3\n", w, mode);
		return -1;
	}
	return 0;
}

/* The build of what runs below this monitor: a hash of the image format and of
 * the file of every monitor of the rest of the stack and of the program, in
 * that order (a child that is a monitor is saved with all below it). 0 if one
 * cannot be read, its name in *bad. */
static uint32_t build_of(const struct fluke_conf *conf, const char **bad)
{
	static char names[256];
	uint32_t v = CKPT_VERSION, words[] = { sizeof(struct image), sizeof(struct saved_client),
		sizeof(struct saved_grant), sizeof(struct saved_object),
		sizeof(struct saved_answer) };
	uint32_t h = fnv(fnv(FNV_START, &v, sizeof(v)), words, sizeof(words));
	snprintf(names, sizeof(names), "%s%s%s", conf->stack ? conf->stack : "",
		 conf->stack && *conf->stack ? "," : "", conf->prog);
	for (char *name = names, *next; name; name = next) {
		const void *elf;
		uint32_t size;
		if ((next = strchr(name, ',')) != NULL)
			*next++ = '\0';
		char *mode = strchr(name, ':');
		if (mode)
			*mode = '\0';	/* NAME:MODE: its mode is no part of the build */
		*bad = name;
		if (fluke_fs_load(name, &elf, &size) != FLUKE_SUCCESS)
			return 0;
		h = fnv(h, elf, size);
		free((void *)elf);
	}
	return h;
}

/* Rebuild the child from the disk; 0, or -1 after saying why nothing runs. */
static int restore_child(const char *prog, uint32_t *pid)
{
	struct image *im;
	uint64_t t0 = fluke_rdtsc();
	const char *why = disk_read(build, &im, &seq);
	uint64_t t1 = fluke_rdtsc();
	if (!why && strcmp(im->name, prog) != 0)
		why = "the checkpoint is of another program";
	if (!why)
		why = ckpt_restore(im, pid);
	if (why) {
		printf("ckpt: cannot restore %s: %s; nothing was started\n", prog, why);
		return -1;
	}
	uint64_t t2 = fluke_rdtsc();
	printf("ckpt: restored %s from checkpoint %u: %u objects, %u pages\n", prog, seq,
	       im->nobjects, im->memory / PAGE);
	test_record("METRIC", "ckpt-restore objects=%u pages=%u read=%llu rebuild=%llu",
		    im->nobjects, im->memory / PAGE, (unsigned long long)(t1 - t0),
		    (unsigned long long)(t2 - t1));
	last = im;		/* the child's memory now: the next delta's base */
	last_size = image_bytes(im);
	return 0;
}

int main(int argc, char **argv)
{
	static struct fluke_conf conf;
	static fluke_thread_t tick;
	static char tick_stack[8192] __attribute__((aligned(16)));
	static char words[512];
	char *next[FLUKE_CONF_WORDS + 4];
	uint32_t pid;
	fluke_conf_parse(&conf, argc - 1, argv + 1);
	if (!conf.prog) {
		printf("ckpt: no prog= in my arguments\n");
		return 1;
	}
	if (options(conf.mode) < 0)
		return 1;
	if (fluke_conf_next(&conf, next, FLUKE_CONF_WORDS + 4, words, sizeof(words)) < 1) {
		printf("ckpt: the boot configuration is too long\n");
		return 1;
	}
	const char *bad;
	if (!(build = build_of(&conf, &bad))) {
		printf("ckpt: cannot read the program %s\n", bad);
		return 1;
	}
	fluke_cond_create(&quiet);
	fluke_cond_create(&resumed);
	fluke_cond_create(&read_done);
	for (uint32_t i = 0; i < MAX_ANSWERS; i++)
		fluke_ref_create(&answers[i].ref);
	have_disk = disk_init();
	if (restore) {
		if (fluke_monitor_init(&mon, "ckpt", &ops) != FLUKE_SUCCESS ||
		    restore_child(next[0], &pid) < 0)
			return 1;
	} else if (fluke_monitor_start(&mon, "ckpt", &ops, &conf, &pid) != FLUKE_SUCCESS) {
		return 1;
	}
	top_slot = fluke_monitor_child(&mon, pid) - mon.children;
	if (every_us && fluke_thread_start(&tick, ticker, 0, tick_stack, sizeof(tick_stack),
					   FLUKE_PRIO_DEFAULT) != FLUKE_SUCCESS) {
		printf("ckpt: cannot start the every= thread\n");
		return 1;
	}
	int status = fluke_monitor_run(&mon, pid);
	test_record("METRIC", "ckpt checkpoints=%u", seq);
	return status;
}
