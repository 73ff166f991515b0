/*
 * Exceptions delivered to the program's own handler: an insane system call, a
 * divide error, int3, a page fault (with its address), single-stepping with the
 * trap flag (one exception per instruction); interrupts delivered to a thread's
 * interrupt handler, whether it waits or runs; handlers installed in one thread
 * and not in others (exc-handlers-per-thread); and a fault inside the handler,
 * which must not recurse (exccheck nested: unhandled, the run ends).
 */
#include <stdio.h>
#include <string.h>
#include <fluke/abi/error.h>
#include <fluke/exception.h>
#include <fluke/ipc.h>
#include <fluke/mutex.h>
#include <fluke/port.h>
#include <fluke/start.h>
#include <fluke/syscalls.h>
#include <fluke/test.h>
#include <fluke/thread.h>

static volatile uint32_t seen_exc, seen_code, seen_addr, count;
static volatile uint32_t skip;		/* bytes to step over on return */
static volatile uint32_t result;	/* eax to return with (insanity) */

static void handler(uint32_t exc, uint32_t code, uint32_t addr)
{
	fluke_thread_saved_t s;
	seen_exc = exc;
	seen_code = code;
	seen_addr = addr;
	count++;
	fluke_thread_get_saved_state(&s);
	s.eip += skip;
	if (exc == FLUKE_EXC_INSANITY)
		s.eax = result;
	fluke_thread_set_saved_state(&s);
}

static void insanity(void)
{
	const char *t = "exc-insanity";
	test_record("BEGIN", "%s", t);
	skip = 2;			/* past the int $0x40 */
	result = 12345;
	count = 0;
	int r = fluke_object_destroy((void *)0x1003);	/* misaligned */
	CHECK(t, count == 1 && seen_exc == FLUKE_EXC_INSANITY);
	CHECK(t, seen_code == FLUKE_INSANITY_NOT_ALIGNED && r == 12345);
	test_record("PASS", "%s", t);
}

/* No thread may give another a priority above its own. */
static void priority_ceiling(void)
{
	const char *t = "exc-priority-ceiling";
	static fluke_thread_t other;
	fluke_thread_state_t st;
	test_record("BEGIN", "%s", t);
	memset(&st, 0, sizeof(st));
	st.flags = FLUKE_THREAD_STOPPED;
	st.priority = FLUKE_PRIO_DEFAULT;
	skip = 2;
	result = 0;
	count = 0;
	CHECK(t, fluke_thread_create(&other) == 0);
	CHECK(t, fluke_thread_set_state(&other, &st, 0, 0) == 0 && count == 0);
	st.priority = FLUKE_PRIO_DEFAULT + 1;
	fluke_thread_set_state(&other, &st, 0, 0);
	CHECK(t, count == 1 && seen_exc == FLUKE_EXC_INSANITY);
	CHECK(t, seen_code == FLUKE_INSANITY_INVALID_STATE);
	CHECK(t, fluke_thread_destroy(&other) == 0);
	test_record("PASS", "%s", t);
}

/* An insane get_state changes nothing: the thread it names is not stopped. */
static volatile uint32_t laps;
static fluke_thread_t runner;
static uint8_t runner_stack[4096] __attribute__((aligned(16)));

static void runner_main(void *unused)
{
	(void)unused;
	for (;;) {
		laps++;
		fluke_thread_yield();
	}
}

static void insane_get_state(void)
{
	const char *t = "exc-insane-get-state";
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_thread_start(&runner, runner_main, 0, runner_stack, sizeof(runner_stack),
				    FLUKE_PRIO_DEFAULT) == 0);
	test_settle();
	skip = 2;
	result = 1;
	count = 0;
	/* The state would go to read-only memory (our text): INVALID_ADDRESS. */
	fluke_thread_get_state(&runner, (fluke_thread_state_t *)(uintptr_t)runner_main, 0, 0, 0,
			       0, 0);
	CHECK(t, count == 1 && seen_exc == FLUKE_EXC_INSANITY);
	CHECK(t, seen_code == FLUKE_INSANITY_INVALID_ADDRESS);
	uint32_t before = laps;
	test_settle();
	CHECK(t, laps > before);		/* still running */
	CHECK(t, fluke_thread_destroy(&runner) == 0);
	test_record("PASS", "%s", t);
}

static void divide(void)
{
	const char *t = "exc-divide";
	test_record("BEGIN", "%s", t);
	skip = 2;			/* divl %ecx is two bytes */
	count = 0;
	__asm__ volatile("xorl %%ecx, %%ecx; divl %%ecx" : : : "eax", "ecx", "edx");
	CHECK(t, count == 1 && seen_exc == FLUKE_EXC_DIVIDE);
	test_record("PASS", "%s", t);
}

static void breakpoint(void)
{
	const char *t = "exc-breakpoint";
	test_record("BEGIN", "%s", t);
	skip = 0;			/* int3 is a trap: eip is already past it */
	count = 0;
	__asm__ volatile("int3");
	CHECK(t, count == 1 && seen_exc == FLUKE_EXC_BREAKPOINT);
	test_record("PASS", "%s", t);
}

static void page_fault(void)
{
	const char *t = "exc-page-fault";
	uint32_t v = 7;
	test_record("BEGIN", "%s", t);
	skip = 5;			/* movl 0x10, %eax is five bytes */
	count = 0;
	__asm__ volatile("movl 0x10, %0" : "+a"(v));
	CHECK(t, count == 1 && seen_exc == FLUKE_EXC_PAGE_FAULT);
	CHECK(t, seen_addr == 0x10 && (seen_code & 4) && v == 7);	/* user-mode read */
	test_record("PASS", "%s", t);
}

static void single_step(void)
{
	const char *t = "exc-single-step";
	test_record("BEGIN", "%s", t);
	skip = 0;
	count = 0;
	/* TF on; four nops; TF off: every instruction after the first popf traps,
	 * the last popf included (TF was set when it began). */
	__asm__ volatile("pushfl; orl $0x100, (%%esp); popfl\n\t"
			 "nop; nop; nop; nop\n\t"
			 "pushfl; andl $~0x100, (%%esp); popfl" : : : "memory", "cc");
	CHECK(t, seen_exc == FLUKE_EXC_DEBUG);
	CHECK(t, count == 7);		/* 4 nops, pushfl, andl, popfl */
	test_record("PASS", "%s", t);
}

/* --- Interrupts to a thread's interrupt handler. ---------------------------- */

static volatile uint32_t interrupts, spins;
static volatile int waiter_step, waiter_rc;
static fluke_thread_t waiter;
static fluke_mutex_t held;
static fluke_pset_t pset;
static fluke_port_t port;
static fluke_ref_t pset_ref, port_ref;
static uint8_t waiter_stack[4096] __attribute__((aligned(16)));

static void on_interrupt(uint32_t exc, uint32_t code, uint32_t addr)
{
	interrupts += exc == FLUKE_EXC_INTERRUPT && code == 0 && addr == 0;
}

/* Waits on a mutex, then in an IPC receive (interrupted: the handler runs and the
 * thread waits again, until the mutex is free or a message comes), then spins in
 * user mode (interrupted: the handler runs there). */
static void waiter_main(void *unused)
{
	fluke_ipc_params_t p;
	uint32_t alias;
	(void)unused;
	fluke_interrupt_handler(on_interrupt);
	waiter_step = 1;
	fluke_mutex_lock(&held);
	waiter_step = 2;
	fluke_mutex_unlock(&held);
	memset(&p, 0, sizeof(p));
	waiter_rc = fluke_ipc_wait_receive(&pset, &p, &alias);
	waiter_step = 3;
	for (;;) {		/* runs, giving the CPU back now and then */
		for (volatile int i = 0; i < 1000; i++)
			;
		spins++;
		fluke_thread_yield();
	}
}

static void interrupt_handler(void)
{
	const char *t = "exc-interrupt";
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_mutex_create(&held) == 0 && fluke_mutex_lock(&held) == 0);
	fluke_port_state_t ps = { 0, 1 };
	CHECK(t, fluke_pset_create(&pset) == 0 && fluke_port_create(&port) == 0 &&
		 fluke_ref_create(&pset_ref) == 0 && fluke_ref_create(&port_ref) == 0 &&
		 fluke_pset_reference(&pset, &pset_ref) == 0 &&
		 fluke_port_set_state(&port, &ps, &pset_ref) == 0 &&
		 fluke_port_reference(&port, &port_ref) == 0);
	CHECK(t, fluke_thread_start(&waiter, waiter_main, 0, waiter_stack, sizeof(waiter_stack),
				    FLUKE_PRIO_DEFAULT) == 0);
	test_settle();
	CHECK(t, waiter_step == 1 && interrupts == 0);
	fluke_thread_interrupt(&waiter);		/* waiting for the mutex */
	test_settle();
	CHECK(t, interrupts == 1 && waiter_step == 1);	/* handled, and waiting again */
	fluke_mutex_unlock(&held);
	test_settle();
	CHECK(t, waiter_step == 2 && interrupts == 1);	/* now in the receive */
	fluke_thread_interrupt(&waiter);
	test_settle();
	CHECK(t, interrupts == 2 && waiter_step == 2);	/* handled, and receiving again */
	fluke_ipc_params_t p;
	memset(&p, 0, sizeof(p));
	CHECK(t, fluke_ipc_send(&port_ref, &p) == FLUKE_SUCCESS);
	test_settle();
	CHECK(t, waiter_step == 3 && waiter_rc == FLUKE_IPC_RECV_ONEWAY);
	uint32_t before = spins;
	fluke_thread_interrupt(&waiter);		/* running in user mode */
	for (int i = 0; i < 1000 && interrupts == 2; i++)
		fluke_thread_yield();
	CHECK(t, interrupts == 3 && spins > before);
	CHECK(t, fluke_thread_destroy(&waiter) == 0 && fluke_port_destroy(&port) == 0 &&
		 fluke_pset_destroy(&pset) == 0 && fluke_mutex_destroy(&held) == 0 &&
		 fluke_ref_destroy(&port_ref) == 0 && fluke_ref_destroy(&pset_ref) == 0);
	test_record("PASS", "%s", t);
}

/* --- Handlers are per thread. ---------------------------------------------- */

static volatile uint32_t hits_a, hits_c, wrong_hits;
static volatile int b_rc = -1, ready;
static fluke_thread_t thread_a, thread_b, thread_c;
static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint8_t stack_b[4096] __attribute__((aligned(16)));
static uint8_t stack_c[4096] __attribute__((aligned(16)));

static void on_interrupt_a(uint32_t exc, uint32_t code, uint32_t addr)
{
	(void)code, (void)addr;
	hits_a += exc == FLUKE_EXC_INTERRUPT;
}

static void on_interrupt_c(uint32_t exc, uint32_t code, uint32_t addr)
{
	(void)code, (void)addr;
	hits_c += exc == FLUKE_EXC_INTERRUPT;
}

static void wrong_handler(uint32_t exc, uint32_t code, uint32_t addr)
{
	(void)exc, (void)code, (void)addr;
	wrong_hits++;
}

/* A and C (arg 0 and 1) take interrupts in their own handlers and wait on the mutex. */
static void interrupted_main(void *arg)
{
	fluke_interrupt_handler(arg ? on_interrupt_c : on_interrupt_a);
	ready++;
	fluke_mutex_lock(&held);
	for (;;)
		fluke_thread_yield();
}

/* B installs an exception handler only, after A installed its interrupt handler,
 * and serves one connection: an alert must end its receive. */
static void thread_b_main(void *unused)
{
	fluke_ipc_params_t p;
	(void)unused;
	fluke_exception_handler(wrong_handler);
	ready++;
	memset(&p, 0, sizeof(p));
	b_rc = fluke_ipc_wait_receive(&pset, &p, 0);	/* a connection, then its alert */
	for (;;)
		fluke_thread_yield();
}

/* The handlers threads[t] has: its state's entries, 0 for none. */
static int handlers(fluke_thread_t *t, uint32_t *trap, uint32_t *intr)
{
	fluke_thread_state_t st;
	if (fluke_thread_get_state(t, &st, 0, 0, 0, 0, 0) != 0)
		return 0;
	*trap = st.trap_handler;
	*intr = st.interrupt_handler;
	st.flags &= ~FLUKE_THREAD_STOPPED;
	return fluke_thread_set_state(t, &st, 0, 0) == 0;
}

static void per_thread(void)
{
	const char *t = "exc-handlers-per-thread";
	uint32_t a_trap, a_intr, b_trap, b_intr, c_trap, c_intr;
	fluke_ipc_params_t p;
	test_record("BEGIN", "%s", t);
	fluke_port_state_t ps = { 0, 2 };
	CHECK(t, fluke_mutex_create(&held) == 0 && fluke_mutex_lock(&held) == 0);
	CHECK(t, fluke_pset_create(&pset) == 0 && fluke_port_create(&port) == 0 &&
		 fluke_ref_create(&pset_ref) == 0 && fluke_ref_create(&port_ref) == 0 &&
		 fluke_pset_reference(&pset, &pset_ref) == 0 &&
		 fluke_port_set_state(&port, &ps, &pset_ref) == 0 &&
		 fluke_port_reference(&port, &port_ref) == 0);
	CHECK(t, fluke_thread_start(&thread_a, interrupted_main, (void *)0, stack_a, sizeof(stack_a),
				    FLUKE_PRIO_DEFAULT) == 0);
	test_settle();
	CHECK(t, fluke_thread_start(&thread_b, thread_b_main, 0, stack_b, sizeof(stack_b),
				    FLUKE_PRIO_DEFAULT) == 0);
	test_settle();
	CHECK(t, fluke_thread_start(&thread_c, interrupted_main, (void *)1, stack_c, sizeof(stack_c),
				    FLUKE_PRIO_DEFAULT) == 0);
	test_settle();
	CHECK(t, ready == 3);
	/* Each thread has what it installed, and nothing another thread did. */
	CHECK(t, handlers(&thread_a, &a_trap, &a_intr) && handlers(&thread_b, &b_trap, &b_intr) &&
		 handlers(&thread_c, &c_trap, &c_intr));
	CHECK(t, a_trap == 0 && a_intr != 0 && b_trap != 0 && b_intr == 0);
	CHECK(t, c_trap == 0 && c_intr != 0 && c_intr != a_intr);
	/* B, alerted in its receive, has no interrupt handler: the receive ends. */
	memset(&p, 0, sizeof(p));
	test_settle();
	CHECK(t, fluke_ipc_client_connect_send(&port_ref, &p) == FLUKE_SUCCESS);
	CHECK(t, fluke_ipc_client_alert() == FLUKE_SUCCESS);
	test_settle();
	CHECK(t, b_rc == FLUKE_INTERRUPTED && wrong_hits == 0);
	/* A's interrupt runs A's handler, C's runs C's: C installing its own changed
	 * nothing of A's. */
	fluke_thread_interrupt(&thread_a);
	test_settle();
	CHECK(t, hits_a == 1 && hits_c == 0);
	fluke_thread_interrupt(&thread_c);
	test_settle();
	CHECK(t, hits_a == 1 && hits_c == 1 && wrong_hits == 0);
	CHECK(t, fluke_thread_destroy(&thread_a) == 0 && fluke_thread_destroy(&thread_b) == 0 &&
		 fluke_thread_destroy(&thread_c) == 0);
	CHECK(t, fluke_ipc_client_disconnect() == FLUKE_SUCCESS);
	CHECK(t, fluke_port_destroy(&port) == 0 && fluke_pset_destroy(&pset) == 0 &&
		 fluke_mutex_destroy(&held) == 0 && fluke_ref_destroy(&port_ref) == 0 &&
		 fluke_ref_destroy(&pset_ref) == 0);
	test_record("PASS", "%s", t);
}

static void fault_in_handler(uint32_t exc, uint32_t code, uint32_t addr)
{
	(void)exc, (void)code, (void)addr;
	*(volatile int *)0x20 = 1;	/* exceptions are disabled here: unhandled */
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "nested") == 0) {
		fluke_exception_handler(fault_in_handler);
		*(volatile int *)0x10 = 1;
		printf("exccheck: the nested fault was survived?\n");
		return 1;
	}
	fluke_exception_handler(handler);
	insanity();
	priority_ceiling();
	insane_get_state();
	divide();
	breakpoint();
	page_fault();
	single_step();
	interrupt_handler();
	per_thread();
	fluke_exception_handler(0);
	printf("exccheck: %d failure(s)\n", test_failures);
	return test_failures != 0;
}
