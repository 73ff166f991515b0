/*
 * evil MODE: hostile programs for the security monitor (monitors/secure,
 * handouts/lab6.md), each trying one way out of its confinement; run under
 * secure and under nest for contrast (grade/lab6_secure.py). Every mode prints
 * what it got; a mode its monitor ends prints nothing more.
 *   open NAME...  FileSystem OPEN of each name (and a READ of what opens)
 *   handles       READ of handles 0..63 never opened (they are entry numbers)
 *   forge         references forged: calls through guessed addresses and through
 *                 garbage where a reference goes, and MemPool PUT and Parent
 *                 requests carrying references to its own objects; Insanity is
 *                 caught by its own handler
 *   probe         reads an address nobody gave it (0x20000000)
 *   rocreate      makes objects in its read-only memory (text, rodata)
 *   malformed     bad ops, lengths that lie, names without NUL, oversized
 *                 messages, bad argument words, to every service
 *   twice         a MemPool GET and a Console WRITE sent twice with one id
 *   stopped       a thread stopped and resumed in a MemPool GET
 *   faults        2,000 page faults, each taken by its own handler
 *   threads       threads until the kernel refuses one (its kernel memory)
 *   spin          an infinite loop
 *   budget N      makes a space: it must get what is left of its own CPU budget of N
 *                 instructions, which may be lowered but neither raised nor cleared
 *   flood         8 threads, 400 requests each, at the monitor's ports
 *   hog           1 MB MemPool regions until refused
 *   spawns        six SPAWNs of hello
 *   chatter       200 Console lines as fast as it can
 *   sibling       five lines, some work between them
 *   orphan        starts "evil spin" and exits at once, leaving it running
 *   contain N     three times: starts "evil sibling" beside "secure mode=crash=N+...
 *                 stack=nest prog=hello crashed" (a monitor that faults with a child
 *                 alive), then beside "secure ... prog=evil orphan" (a monitor that
 *                 exits with a child alive), waits for each pair, and compares the
 *                 leak counts after the third round with those after the second
 *   host MODE...  the well-behaved parent: twice, runs each "evil MODE" and then
 *                 "hello second", and compares the kernel's live objects and free
 *                 pages and the pool's free bytes after the second round with
 *                 those after the first (the first lets the monitors grow what
 *                 they keep)
 */
#include <fmt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fluke/block.h>
#include <fluke/console.h>
#include <fluke/exception.h>
#include <fluke/fs.h>
#include <fluke/mempool.h>
#include <fluke/mutex.h>
#include <fluke/parent.h>
#include <fluke/ref.h>
#include <fluke/space.h>
#include <fluke/start.h>
#include <fluke/syscalls.h>
#include <fluke/thread.h>
#include <fluke/abi/error.h>
#include <fluke/abi/vm.h>

#define MB		(1024 * 1024)
#define STACK		4096
#define FLOODERS	8
#define FLOOD		400
#define MAX_THREADS	512

static volatile uint32_t insanities, faults;

/* Count the exception and go on past it: a system call's int $0x40 (2 bytes:
 * its Insanity leaves eip there) returns 0xbad; the probe's 2-byte load
 * (mov (%ecx),%eax) reads 0. */
static void skip(uint32_t exc, uint32_t code, uint32_t addr)
{
	fluke_thread_saved_t s;
	(void)code, (void)addr;
	fluke_thread_get_saved_state(&s);
	if (exc == FLUKE_EXC_INSANITY)
		insanities++;
	else
		faults++;
	s.eip += 2;
	s.eax = exc == FLUKE_EXC_INSANITY ? 0xbad : 0;
	fluke_thread_set_saved_state(&s);
}

/* Send rpc->out through port; the status, or 0xbad for an Insanity. */
static int call(const fluke_ref_t *port, struct fluke_rpc *rpc)
{
	return fluke_rpc_call(port, rpc);
}

/* Service s's port (looked up at the start, so that no lookup lands between a
 * request's making and its call on the one exchange). */
static const fluke_ref_t *svc(uint32_t s)
{
	return fluke_service(s);
}

static int open_names(int n, char **names)
{
	for (int i = 0; i < n; i++) {
		uint32_t h, got = 0;
		char buf[16];
		int rc = fluke_fs_open(names[i], &h);
		if (rc == FLUKE_SUCCESS)
			rc = fluke_fs_read(h, 0, buf, sizeof(buf), &got);
		printf("evil: open(%s) -> %d, %u bytes read\n", names[i], rc, got);
	}
	return 0;
}

static int handles(void)
{
	uint32_t read = 0, got;
	char buf[16];
	for (uint32_t h = 0; h < 64; h++)
		if (fluke_fs_read(h, 0, buf, sizeof(buf), &got) == FLUKE_SUCCESS)
			read++;
	printf("evil: %u of 64 handles read without OPEN\n", read);
	return 0;
}

static int forge(void)
{
	static fluke_mutex_t own;
	static uint32_t garbage[8] __attribute__((aligned(16))) = { 0xdeadbeef, 1, 2, 3 };
	struct fluke_rpc *rpc = fluke_client_rpc();
	uint32_t tries = 0, reached = 0;
	fluke_exception_handler(skip);
	/* Guessed addresses: where monitors keep their ports and references (their
	 * text, data and heap at the addresses every program has), and garbage. */
	static const uint32_t guesses[] = { 0x01000000, 0x01004000, 0x01010000, 0x10000000,
					    0x10001000, 0x10010000, 0x0fff0000, 0xbfff0000,
					    0xc0000000, 0x00000010 };
	for (uint32_t i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++, tries++) {
		fluke_rpc_begin(rpc, FLUKE_MEMPOOL_STAT);
		int rc = call((const fluke_ref_t *)guesses[i], rpc);
		reached += rc == FLUKE_SUCCESS;
	}
	tries++;
	fluke_rpc_begin(rpc, FLUKE_MEMPOOL_STAT);
	reached += call((const fluke_ref_t *)garbage, rpc) == FLUKE_SUCCESS;
	/* References to its own objects where a region's or a port's should be. */
	fluke_mutex_create(&own);
	const void *mine[] = { &own, fluke_self_space(), rpc };
	for (uint32_t i = 0; i < 3; i++, tries += 2) {
		fluke_rpc_begin(rpc, FLUKE_MEMPOOL_PUT);
		fluke_rpc_stamp(rpc);
		fluke_ref_copy(&rpc->out_ref, i == 2 ? &rpc->in_ref : mine[i]);
		rpc->out_refs = 1;
		reached += call(svc(FLUKE_SVC_MEMPOOL), rpc) == FLUKE_SUCCESS;
		fluke_rpc_begin(rpc, FLUKE_MEMPOOL_COPY);
		fluke_rpc_stamp(rpc);
		rpc->out_refs = 1;
		reached += call(svc(FLUKE_SVC_MEMPOOL), rpc) == FLUKE_SUCCESS;
	}
	printf("evil: %u of %u forged references did anything (%u Insanities caught)\n",
	       reached, tries, insanities);
	return 0;
}

static int probe(void)
{
	printf("evil: reading 0x20000000\n");
	return (int)*(volatile uint32_t *)0x20000000;
}

static int rocreate(void)
{
	static const uint32_t ro[8] __attribute__((aligned(16))) = { 1 };
	uint32_t made = 0;
	fluke_exception_handler(skip);
	made += fluke_mutex_create((void *)ro) == 0;
	made += fluke_mutex_create((void *)((uint32_t)rocreate & ~15u)) == 0;
	made += fluke_ref_create((void *)((uint32_t)ro + 0)) == 0;
	printf("evil: %u of 3 objects made in read-only memory (%u Insanities caught)\n", made,
	       insanities);
	return 0;
}

/* One crafted request to service: 1 if it was answered FLUKE_SUCCESS. */
static int crafted(uint32_t service, uint32_t op, uint32_t a0, uint32_t a1, uint32_t len,
		   uint32_t sent)
{
	struct fluke_rpc *rpc = fluke_client_rpc();
	fluke_rpc_begin(rpc, op);
	rpc->out.arg[0] = a0;
	rpc->out.arg[1] = a1;
	fluke_rpc_stamp(rpc);
	memset(rpc->out.data, 'x', sent);
	rpc->out.len = sent;
	int rc = call(svc(service), rpc);
	rpc->out.len = len;	/* the claim, for the next raw send */
	return rc == FLUKE_SUCCESS;
}

static int malformed(void)
{
	static char big[8192];
	uint32_t sent = 0, ok = 0;
	const struct { uint32_t service, op, a0, a1, sent; } bad[] = {
		{ FLUKE_SVC_PARENT, 99, 0, 0, 0 }, { FLUKE_SVC_PARENT, FLUKE_PARENT_GET, 99, 0, 0 },
		{ FLUKE_SVC_PARENT, FLUKE_PARENT_SPAWN, 0, 0, 0 },
		{ FLUKE_SVC_PARENT, FLUKE_PARENT_SPAWN, 1000, 0, 1024 },
		{ FLUKE_SVC_PARENT, FLUKE_PARENT_WAIT, 12345, 0, 0 },
		{ FLUKE_SVC_PARENT, FLUKE_PARENT_IOPORTS, 0, 0xffff, 0 },
		{ FLUKE_SVC_CONSOLE, 99, 0, 0, 0 }, { FLUKE_SVC_MEMPOOL, 99, 0, 0, 0 },
		{ FLUKE_SVC_MEMPOOL, FLUKE_MEMPOOL_GET, 0, 0, 0 },
		{ FLUKE_SVC_MEMPOOL, FLUKE_MEMPOOL_GET, 0xfffff000, 0, 0 },
		{ FLUKE_SVC_MEMPOOL, FLUKE_MEMPOOL_GET, 123, 0, 0 },
		{ FLUKE_SVC_MEMPOOL, FLUKE_MEMPOOL_PUT, 0, 0, 0 },
		{ FLUKE_SVC_FS, 99, 0, 0, 0 }, { FLUKE_SVC_FS, FLUKE_FS_OPEN, 0, 0, 1024 },
		{ FLUKE_SVC_FS, FLUKE_FS_OPEN, 0, 0, 0 },
		{ FLUKE_SVC_FS, FLUKE_FS_READ, 0xffffffff, 0, 0 },
		{ FLUKE_SVC_FS, FLUKE_FS_LIST, 0xffffff, 0, 0 },
		{ FLUKE_SVC_BLOCK, FLUKE_BLOCK_READ, 0xffffff00, 1000, 0 },
		{ FLUKE_SVC_BLOCK, 99, 0, 0, 0 },
	};
	for (uint32_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++, sent++)
		ok += crafted(bad[i].service, bad[i].op, bad[i].a0, bad[i].a1, 0, bad[i].sent);
	/* Lengths that lie (the claim far past what is sent) and a message eight times the
	 * largest, raw. */
	for (uint32_t s = FLUKE_SVC_CONSOLE; s <= FLUKE_SVC_FS; s++, sent += 2) {
		struct fluke_rpc *rpc = fluke_client_rpc();
		fluke_rpc_begin(rpc, s == FLUKE_SVC_FS ? FLUKE_FS_OPEN : 99);
		rpc->out.len = 0x7fffffff;
		fluke_ipc_params_t p = { .send = { &rpc->out, FLUKE_RPC_HEADER + 8 },
					 .recv = { &rpc->in, sizeof(rpc->in) } };
		ok += fluke_ipc_call(svc(s), &p) == 0 && rpc->in.op == FLUKE_SUCCESS;
		memset(big, 0xff, sizeof(big));
		p = (fluke_ipc_params_t){ .send = { big, sizeof(big) },
					  .recv = { &rpc->in, sizeof(rpc->in) } };
		ok += fluke_ipc_call(svc(s), &p) == 0 && rpc->in.op == FLUKE_SUCCESS;
	}
	printf("evil: %u malformed requests, %u answered success\n", sent, ok);
	return 0;
}

static int twice(void)
{
	static fluke_ref_t first;
	struct fluke_rpc *rpc = fluke_client_rpc();
	uint32_t granted, free;
	fluke_ref_create(&first);
	fluke_rpc_begin(rpc, FLUKE_MEMPOOL_GET);
	rpc->out.arg[0] = 4096;
	fluke_rpc_stamp(rpc);
	int a = call(svc(FLUKE_SVC_MEMPOOL), rpc);
	fluke_ref_copy(&first, &rpc->in_ref);
	int b = call(svc(FLUKE_SVC_MEMPOOL), rpc);		/* the same request again */
	int same = fluke_ref_compare(&first, &rpc->in_ref) == 1;
	fluke_mempool_stat(&granted, &free);
	fluke_rpc_begin(rpc, FLUKE_CONSOLE_WRITE);
	fluke_rpc_stamp(rpc);
	fluke_rpc_put(rpc, "evil: this line is sent twice\n", 30);
	call(svc(FLUKE_SVC_CONSOLE), rpc);
	call(svc(FLUKE_SVC_CONSOLE), rpc);
	printf("evil: a GET sent twice: %d, %d, %s region, %u bytes granted\n", a, b,
	       same ? "the same" : "another", granted);
	return 0;
}

static fluke_thread_t threads[MAX_THREADS];
static char stacks[FLOODERS][STACK] __attribute__((aligned(16)));
static volatile uint32_t getter_rc = 0xffff, flooded, flood_refused, flood_done;

static void getter(void *arg)
{
	struct fluke_rpc *rpc = arg;
	fluke_rpc_begin(rpc, FLUKE_MEMPOOL_GET);
	rpc->out.arg[0] = 4096;
	fluke_rpc_stamp(rpc);
	getter_rc = (uint32_t)call(svc(FLUKE_SVC_MEMPOOL), rpc);
	for (;;)
		fluke_thread_yield();
}

static int stopped(void)
{
	static struct fluke_rpc rpc;
	fluke_thread_state_t st;
	uint32_t granted, free;
	fluke_rpc_init(&rpc);
	fluke_thread_start(&threads[0], getter, &rpc, stacks[0], STACK, FLUKE_PRIO_DEFAULT);
	fluke_thread_yield();
	fluke_thread_get_state(&threads[0], &st, 0, 0, 0, 0, 0);	/* stops it, in its call or not */
	st.flags &= ~FLUKE_THREAD_STOPPED;
	fluke_thread_set_state(&threads[0], &st, 0, 0);
	while (getter_rc == 0xffff)
		fluke_thread_yield();
	fluke_mempool_stat(&granted, &free);
	printf("evil: a GET stopped and resumed: %u, %u bytes granted\n", getter_rc, granted);
	return 0;
}

static int fault_storm(void)
{
	fluke_exception_handler(skip);
	for (int i = 0; i < 2000; i++)
		__asm__ volatile("movl (%%ecx), %%eax" : : "c"(0x20000000) : "eax", "memory");
	printf("evil: %u faults taken by my own handler\n", faults);
	return 0;
}

static void sleeper(void *arg)
{
	(void)arg;
	for (;;)
		fluke_thread_yield();
}

static int thread_storm(void)
{
	static char tiny[MAX_THREADS][256] __attribute__((aligned(16)));
	uint32_t n = 0;
	int rc = 0;
	while (n < MAX_THREADS &&
	       (rc = fluke_thread_start(&threads[n], sleeper, 0, tiny[n], sizeof(tiny[n]),
					FLUKE_PRIO_MIN)) == 0)
		n++;
	printf("evil: made %u threads, then error %d\n", n, n < MAX_THREADS ? rc : 0);
	return 0;
}

static void flooder(void *arg)
{
	struct fluke_rpc rpc;
	(void)arg;
	fluke_rpc_init(&rpc);
	for (int i = 0; i < FLOOD; i++) {
		uint32_t s = i % 2 ? FLUKE_SVC_MEMPOOL : FLUKE_SVC_FS;
		fluke_rpc_begin(&rpc, s == FLUKE_SVC_MEMPOOL ? FLUKE_MEMPOOL_STAT : FLUKE_FS_LIST);
		__atomic_add_fetch(&flood_refused, call(svc(s), &rpc) != FLUKE_SUCCESS,
				   __ATOMIC_RELAXED);
		__atomic_add_fetch(&flooded, 1, __ATOMIC_RELAXED);
	}
	__atomic_add_fetch(&flood_done, 1, __ATOMIC_RELAXED);
	for (;;)
		fluke_thread_yield();
}

static int flood(void)
{
	for (int i = 0; i < FLOODERS; i++)
		fluke_thread_start(&threads[i], flooder, 0, stacks[i], STACK, FLUKE_PRIO_DEFAULT);
	while (flood_done < FLOODERS)
		fluke_thread_yield();
	printf("evil: flooded %u requests, %u refused\n", flooded, flood_refused);
	return 0;
}

static int hog(void)
{
	uint32_t got = 0;
	while (got < 256 && malloc(MB))
		got++;
	printf("evil: hog got %u MB\n", got);
	return 0;
}

static int budget(const char *n)
{
	static fluke_space_t space;
	fluke_space_state_t st;
	uint64_t cpu = (uint32_t)atoi(n), got;
	int up, cleared, lowered;
	fluke_exception_handler(skip);
	if (fluke_space_create(&space) || fluke_space_get_state(&space, &st, 0))
		return 1;
	got = st.cpu_limit;
	st.cpu_limit = got + 1;
	up = fluke_space_set_state(&space, &st, 0);
	st.cpu_limit = 0;
	cleared = fluke_space_set_state(&space, &st, 0);
	st.cpu_limit = 1;
	lowered = fluke_space_set_state(&space, &st, 0);
	fluke_space_get_state(&space, &st, 0);
	printf("evil: budget: a new space got %s of my %llu instructions; raising it: %s, "
	       "clearing it: %s, lowering it to 1: %s (now %llu, used %llu)\n",
	       got && got <= cpu ? "what is left" : "no budget", cpu,
	       up == 0xbad ? "refused" : "done", cleared == 0xbad ? "refused" : "done",
	       lowered == 0 ? "done" : "refused", st.cpu_limit, st.cpu_used);
	fluke_space_destroy(&space);
	return 0;
}

static int run(int argc, char **argv)
{
	int status, pid = spawn(argc, argv);
	if (pid <= 0)
		return -1000 + pid;
	return spawn_wait(pid, &status) == 0 ? status : -1;
}

static int spawns(void)
{
	char *args[] = { "hello", "spawned", 0 };
	int ok = 0;
	for (int i = 0; i < 6; i++)
		ok += run(2, args) == 0;
	printf("evil: %d of 6 spawns ran\n", ok);
	return 0;
}

static int chatter(void)
{
	for (int i = 0; i < 200; i++)
		printf("evil: chatter line %03d of 200 ..............................\n", i);
	return 0;
}

static int sibling(void)
{
	for (int i = 1; i <= 5; i++) {
		for (int j = 0; j < 400; j++)
			fluke_thread_yield();	/* the crash happens meanwhile */
		printf("evil: sibling line %d of 5\n", i);
	}
	return 0;
}

/* Start argv, and another program beside it, and wait for both: their statuses. */
static void pair(char **a, char **b, int *sa, int *sb)
{
	int argc = 0, pa, pb;
	while (a[argc])
		argc++;
	pa = spawn(argc, a);
	for (argc = 0; b[argc]; argc++)
		;
	pb = spawn(argc, b);
	*sa = pa > 0 && spawn_wait(pa, sa) == 0 ? *sa : -1;
	*sb = pb > 0 && spawn_wait(pb, sb) == 0 ? *sb : -1;
}

/* Leak counts: the call of round base keeps them, a later one prints the change. */
static void leaks(int round, int base)
{
	static fluke_vm_stats_t first;
	static uint32_t free0;
	fluke_vm_stats_t now;
	uint32_t granted, free;
	fluke_mempool_stat(&granted, &free);
	fluke_vm_stats(&now);
	if (round <= base) {
		first = now;
		free0 = free;
		return;
	}
	printf("evil: host: after round %d: live objects %+d, free pages %+d, pool bytes %+d\n",
	       round, (int)(now.live_objects - first.live_objects),
	       (int)(now.free_pages - first.free_pages), (int)(free - free0));
}

static int orphan(void)
{
	char *args[] = { "evil", "spin", 0 };
	int pid = spawn(2, args);
	printf("evil: orphan: left evil spin running (pid %d)\n", pid);
	return 0;
}

static int contain(char *n)
{
	char mode[64];
	snprintf(mode, sizeof(mode), "mode=crash=%s+open=nest:ro+open=hello:ro", n);
	char *sib[] = { "evil", "sibling", 0 };
	char *mon[] = { "secure", mode, "stack=nest", "prog=hello", "crashed", 0 };
	char *exits[] = { "secure", "mode=spawn=1", "prog=evil", "orphan", 0 };
	/* Three rounds, counted from the second: the first two let the monitors
	 * above grow what they keep (nest adds a server thread, its stack from
	 * the pool, when the first rounds' requests overlap). */
	for (int round = 1; round <= 3; round++) {
		int a, b;
		pair(sib, mon, &a, &b);
		printf("evil: contain: round %d: the sibling ended with status %d, secure "
		       "(crashed) with %d\n", round, a, b);
		pair(sib, exits, &a, &b);
		printf("evil: contain: round %d: the sibling ended with status %d, secure "
		       "(exited) with %d\n", round, a, b);
		leaks(round, 2);
	}
	return 0;
}

static int host(int n, char **modes)
{
	char *second[] = { "hello", "second", 0 };
	for (int round = 1; round <= 2; round++) {
		for (int i = 0; i < n; i++) {
			char *attacker[] = { "evil", modes[i], 0 };
			int a = run(2, attacker), b = run(2, second);
			printf("evil: host: round %d: evil %s ended with status %d, hello with %d\n",
			       round, modes[i], a, b);
		}
		leaks(round, 1);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	for (uint32_t s = FLUKE_SVC_CONSOLE; s <= FLUKE_SVC_BLOCK; s++)
		svc(s);		/* the ports first: a lookup uses the program's one exchange */
	if (!strcmp(m, "open"))
		return open_names(argc - 2, argv + 2);
	if (!strcmp(m, "host") && argc > 2)
		return host(argc - 2, argv + 2);
	if (!strcmp(m, "budget") && argc == 3)
		return budget(argv[2]);
	if (!strcmp(m, "contain") && argc == 3)
		return contain(argv[2]);
	static const struct { const char *name; int (*fn)(void); } modes[] = {
		{ "handles", handles }, { "forge", forge }, { "probe", probe },
		{ "rocreate", rocreate }, { "malformed", malformed }, { "twice", twice },
		{ "stopped", stopped }, { "faults", fault_storm }, { "threads", thread_storm },
		{ "flood", flood }, { "hog", hog }, { "spawns", spawns }, { "chatter", chatter },
		{ "sibling", sibling }, { "orphan", orphan },
	};
	for (uint32_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(m, modes[i].name))
			return modes[i].fn();
	if (!strcmp(m, "spin")) {
		printf("evil: spinning\n");
		for (;;)
			__asm__ volatile("" ::: "memory");
	}
	printf("evil: unknown mode '%s'; the modes are open NAME..., handles, forge, probe, "
	       "rocreate, malformed, twice, stopped, faults, threads, spin, flood, hog, spawns, "
	       "chatter, sibling, orphan, budget N, contain N, host MODE...\n", m);
	return 2;
}
