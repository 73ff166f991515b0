/*
 * hostile MODE: a program that tries to name, inspect or act for another client
 * of its monitors (handouts/overview.md, "Clients"). Each request is built by
 * hand, words and all, so the same attack is sent whatever the protocol's stubs
 * would send; every mode ends by printing what it found and, where it matters,
 * by showing that its monitors still serve.
 *   scan          MemPool STAT and RELEASE over guessed client ids (space hashes
 *                 are n * 0x9e3779b1): no answer may tell another client's
 *                 memory, and afterwards a sibling (hello) still runs and this
 *                 program still gets memory
 *   victim        holds memory, starts "hostile release ID" naming its own space's
 *                 hash, and checks its memory is still there afterwards
 *   release ID    MemPool RELEASE naming client ID (hex)
 *   writer        starts "hostile forge ID N" with its own space's hash and the
 *                 request id its next Console WRITE will carry, then writes a line
 *                 that must appear
 *   forge ID N    a Console WRITE claiming to be client ID's request N
 *   hog N         N MemPool GETs of 1 MB, never given back; exit status: the
 *                 number granted
 *   hogtwice N    runs "hostile hog N" twice: the second must get as many as the
 *                 first, and the pool must have as much free after each run
 *   spawnroot     SPAWN root: the root is no program, so it must be refused
 *   clients       Parent CLIENT (test records): a resent CLIENT gets the same
 *                 client; memory got through it is counted there only and goes
 *                 back when it ends (EXIT through its port); it may not SPAWN
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fluke/console.h>
#include <fluke/mempool.h>
#include <fluke/parent.h>
#include <fluke/ref.h>
#include <fluke/start.h>
#include <fluke/abi/error.h>
#include <fluke/test.h>

#define GUESSES		2048		/* client ids n * 0x9e3779b1, n = 1 .. GUESSES */
#define HOLD		(64 * 4096)	/* the victim's memory */
#define MB		(1024 * 1024)
/* MemPool op 3 was RELEASE naming a client in arg1 ("every region granted to it
 * goes back"); the protocol no longer has it, and no op names a client. */
#define RELEASE		3

static uint32_t hex(const char *s)
{
	uint32_t v = 0;
	for (; *s; s++)
		v = v * 16 + (*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
	return v;
}

/* This program's space's hash: the client id the old protocol trusted. */
static uint32_t my_hash(void)
{
	return fluke_ref_hash(fluke_self_space());
}

/* Send op to service with words arg1 and arg2 (and data), built by hand; the
 * reply is in the client exchange. */
static int raw(uint32_t service, uint32_t op, uint32_t arg1, uint32_t arg2, const char *data)
{
	const fluke_ref_t *port = fluke_service(service);	/* may call the Parent */
	struct fluke_rpc *rpc = fluke_client_rpc();
	if (!port)
		return FLUKE_NOT_FOUND;
	fluke_rpc_begin(rpc, op);
	rpc->out.arg[1] = arg1;
	rpc->out.arg[2] = arg2;
	if (data)
		fluke_rpc_put(rpc, data, strlen(data));
	return fluke_rpc_call(port, rpc);
}

/* MemPool STAT naming client (in arg1): the bytes it says are granted, ~0 if
 * refused. */
static uint32_t stat_of(uint32_t client)
{
	int rc = raw(FLUKE_SVC_MEMPOOL, FLUKE_MEMPOOL_STAT, client, 0, 0);
	return rc == FLUKE_SUCCESS ? fluke_client_rpc()->in.arg[0] : ~0u;
}

static int run(int argc, char **argv)
{
	int status, pid = spawn(argc, argv);
	if (pid <= 0 || spawn_wait(pid, &status) != 0)
		return -1;
	return status;
}

static int scan(void)
{
	uint32_t self = my_hash(), nobody = stat_of(0), told = 0, released = 0;
	for (uint32_t n = 1; n <= GUESSES; n++) {
		uint32_t id = n * 0x9e3779b1u, bytes = id == self ? nobody : stat_of(id);
		if (bytes != nobody) {
			printf("hostile: client %08x (n=%u) holds %u KB\n", id, n, bytes / 1024);
			told++;
		}
	}
	for (uint32_t n = 1; n <= GUESSES; n++) {
		uint32_t id = n * 0x9e3779b1u;
		if (id != self &&
		    raw(FLUKE_SVC_MEMPOOL, RELEASE, id, 0, 0) == FLUKE_SUCCESS)
			released++;
	}
	printf("hostile: %u of %u guessed clients told me their memory; %u RELEASEs taken\n",
	       told, GUESSES, released);
	char *args[] = { "hello", "sibling", 0 };
	int status = run(2, args);
	char *mem = malloc(HOLD);
	if (mem)
		memset(mem, 0x5a, HOLD);
	printf("hostile: after the scan a sibling ended with status %d and I %s memory\n",
	       status, mem ? "still get" : "get no");
	return told != 0 || status != 0 || !mem;
}

static int victim(void)
{
	char id[16];
	volatile uint32_t *mem = malloc(HOLD);
	if (!mem)
		return 1;
	for (uint32_t i = 0; i < HOLD / 4; i++)
		mem[i] = i * 2654435761u;
	snprintf(id, sizeof(id), "%x", my_hash());
	char *args[] = { "hostile", "release", id, 0 };
	int status = run(3, args);
	uint32_t bad = 0;
	for (uint32_t i = 0; i < HOLD / 4; i++)
		bad += mem[i] != i * 2654435761u;
	printf("hostile: after a sibling's RELEASE (status %d) my memory has %u bad words\n",
	       status, bad);
	return bad != 0 || status != 0;
}

static int writer(void)
{
	char id[16], request[16];
	/* The ids' count: this stamp's, then the SPAWN's, then the WRITE's. */
	struct fluke_rpc *rpc = fluke_client_rpc();
	fluke_rpc_begin(rpc, 0);
	fluke_rpc_stamp(rpc);
	snprintf(id, sizeof(id), "%x", my_hash());
	snprintf(request, sizeof(request), "%x", rpc->out.arg[FLUKE_RPC_REQUEST] + 2);
	char *args[] = { "hostile", "forge", id, request, 0 };
	int status = run(4, args);
	printf("hostile: the writer's line is written (the forger ended with status %d)\n",
	       status);
	return status != 0;
}

static int hogtwice(char *n)
{
	char *args[] = { "hostile", "hog", n, 0 };
	uint32_t granted, before, free[2];
	int got[2];
	if (fluke_mempool_stat(&granted, &before) != FLUKE_SUCCESS)
		return 1;
	for (int i = 0; i < 2; i++) {
		got[i] = run(3, args);
		if (fluke_mempool_stat(&granted, &free[i]) != FLUKE_SUCCESS)
			return 1;
	}
	printf("hostile: hog %s got %d MB, then %d MB; the pool had %d pages free before, "
	       "%d after the first, %d after the second\n", n, got[0], got[1],
	       (int)(before / 4096), (int)(free[0] / 4096), (int)(free[1] / 4096));
	return got[0] != atoi(n) || got[1] != got[0] || free[1] != free[0];
}

static int hog(int n)
{
	static fluke_ref_t region;
	int got = 0;
	fluke_ref_create(&region);
	while (got < n && fluke_mempool_get(MB, &region) == FLUKE_SUCCESS)
		got++;
	return got;
}

/* The bytes granted through the MemPool port pool and the pool's free bytes. */
static int stat_on(const fluke_ref_t *pool, uint32_t *granted, uint32_t *free)
{
	struct fluke_rpc *rpc = fluke_client_rpc();
	fluke_rpc_begin(rpc, FLUKE_MEMPOOL_STAT);
	int rc = fluke_rpc_call(pool, rpc);
	*granted = rpc->in.arg[0];
	*free = rpc->in.arg[1];
	return rc;
}

static void clients(void)
{
	static fluke_ref_t client, again, pool, region;
	const char *t = "parent-client";
	struct fluke_rpc *rpc = fluke_client_rpc();
	uint32_t mine, before, granted, free, now;
	fluke_ref_create(&client);
	fluke_ref_create(&again);
	fluke_ref_create(&pool);
	fluke_ref_create(&region);
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_mempool_stat(&mine, &before) == FLUKE_SUCCESS);
	CHECK(t, fluke_parent_client(fluke_parent(), &client) == FLUKE_SUCCESS);
	/* The same message again, as a client stopped and resumed sends it. */
	CHECK(t, fluke_rpc_call(fluke_parent(), rpc) == FLUKE_SUCCESS && rpc->in_refs == 1);
	CHECK(t, fluke_ref_compare(&rpc->in_ref, &client));
	CHECK(t, fluke_parent_get_on(&client, FLUKE_SVC_MEMPOOL, &pool) == FLUKE_SUCCESS);
	CHECK(t, !fluke_ref_compare(&pool, fluke_service(FLUKE_SVC_MEMPOOL)));
	fluke_rpc_begin(rpc, FLUKE_MEMPOOL_GET);
	rpc->out.arg[0] = MB;
	fluke_rpc_stamp(rpc);
	CHECK(t, fluke_rpc_call(&pool, rpc) == FLUKE_SUCCESS && rpc->in_refs == 1);
	fluke_ref_copy(&region, &rpc->in_ref);
	CHECK(t, stat_on(&pool, &granted, &free) == FLUKE_SUCCESS && granted == MB);
	CHECK(t, fluke_mempool_stat(&now, &free) == FLUKE_SUCCESS && now == mine);
	/* A client made with CLIENT is no process: it has no SPAWN. */
	char *args[] = { "hello", 0 };
	fluke_rpc_begin(rpc, FLUKE_PARENT_SPAWN);
	rpc->out.arg[0] = 1;
	fluke_rpc_stamp(rpc);
	fluke_rpc_put(rpc, args[0], strlen(args[0]) + 1);
	CHECK(t, fluke_rpc_call(&client, rpc) == FLUKE_NOT_PERMITTED);
	/* Ending it gives its memory back, and its ports are gone. */
	CHECK(t, fluke_parent_end(&client) == FLUKE_SUCCESS);
	CHECK(t, fluke_mempool_stat(&now, &free) == FLUKE_SUCCESS && free == before);
	CHECK(t, stat_on(&pool, &granted, &free) != FLUKE_SUCCESS);
	test_record("PASS", "%s", t);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "scan") == 0)
		return scan();
	if (strcmp(mode, "victim") == 0)
		return victim();
	if (strcmp(mode, "release") == 0 && argc == 3) {
		raw(FLUKE_SVC_MEMPOOL, RELEASE, hex(argv[2]), 0, 0);
		return 0;
	}
	if (strcmp(mode, "writer") == 0)
		return writer();
	if (strcmp(mode, "forge") == 0 && argc == 4) {
		raw(FLUKE_SVC_CONSOLE, FLUKE_CONSOLE_WRITE, hex(argv[2]), hex(argv[3]),
		    "hostile: a forged WRITE\n");
		return 0;
	}
	if (strcmp(mode, "hog") == 0 && argc == 3)
		return hog(atoi(argv[2]));
	if (strcmp(mode, "hogtwice") == 0 && argc == 3)
		return hogtwice(argv[2]);
	if (strcmp(mode, "spawnroot") == 0) {
		char *args[] = { "root", 0 };
		int pid = spawn(1, args);
		printf(pid > 0 ? "hostile: SPAWN root started pid %d\n"
		       : "hostile: SPAWN root refused (error %d)\n", pid > 0 ? pid : -pid);
		return pid > 0;
	}
	if (strcmp(mode, "clients") == 0) {
		clients();
		return test_failures != 0;
	}
	printf("hostile: unknown mode '%s'; the modes are: scan, victim, release ID, writer, "
	       "forge ID N, hog N, hogtwice N, spawnroot, clients\n", mode);
	return 2;
}
