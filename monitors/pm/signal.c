/*
 * Signals. A signal a process catches runs its handler on the process's first
 * thread: the manager stops the thread (fluke_thread_get_state: a thread in a
 * system call is left at its int $0x40, in restart form), writes a struct
 * fluke_sigframe below its esp in the stack the manager gave it, and restarts
 * it at the process's trampoline, which calls the handler and then returns to
 * where the thread was, every register restored (user/lib/sigtramp.S). A frame
 * that does not fit in that stack ends the process with SIGSEGV.
 * An exception the process does not handle itself becomes a signal too:
 * SIGSEGV (page fault, protection), SIGILL, SIGFPE, SIGTRAP or SIGSYS (a misused
 * system call); its default action reports it on the console and ends the
 * process with that signal in its wait status.
 */
#include "pm.h"
#include <fluke/thread.h>
#include <fluke/abi/error.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>


static int ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGSTOP || sig == SIGTSTP ||
	       sig == SIGTTIN || sig == SIGTTOU;
}

int pm_fatal(uint32_t slot, int sig)
{
	uint32_t h = procs[slot].handlers[sig];
	return sig == SIGKILL || (h == (uint32_t)SIG_DFL && !ignored_by_default(sig));
}

void pm_terminate(uint32_t slot, int sig)
{
	procs[slot].termsig = sig;
	fluke_monitor_end(&pm, slot, 128 + sig, 1);
}

/* Run slot's handler of sig on its first thread; 0, or -1 if the frame does
 * not fit. */
static int deliver(uint32_t slot, int sig)
{
	/* LAB 3: BEGIN SOLUTION */
	struct fluke_proc *p = &pm.children[slot].proc;
	struct fluke_proc_area *stack = &p->areas[0];	/* fluke_proc_start's */
	fluke_thread_state_t st;
	if (fluke_thread_get_state(&p->thread, &st, 0, 0, 0, 0, 0) != FLUKE_SUCCESS)
		return -1;
	uint32_t base = FLUKE_PROC_STACK_TOP - stack->size;
	uint32_t frame = st.esp - sizeof(struct fluke_sigframe);	/* ends at esp */
	if (frame >= st.esp || frame < base + 256 || st.esp > FLUKE_PROC_STACK_TOP) {
		st.flags &= ~FLUKE_THREAD_STOPPED;
		fluke_thread_set_state(&p->thread, &st, 0, 0);
		return -1;
	}
	struct fluke_sigframe f = {
		.sig = sig, .handler = procs[slot].handlers[sig],
		.edi = st.edi, .esi = st.esi, .ebp = st.ebp, .esp = st.esp, .ebx = st.ebx,
		.edx = st.edx, .ecx = st.ecx, .eax = st.eax, .eflags = st.eflags, .eip = st.eip,
	};
	memcpy(stack->mem + (frame - base), &f, sizeof(f));
	st.esp = frame;
	st.eip = procs[slot].trampoline;
	st.flags &= ~FLUKE_THREAD_STOPPED;
	fluke_thread_set_state(&p->thread, &st, 0, 0);
	procs[slot].sigseq++;			/* its waiting requests give up */
	fluke_cond_broadcast(&pm.changed);
	return 0;
	/* LAB 3: SKELETON */
	//| /* LAB 3: your code here */
	//| (void)slot, (void)sig;
	//| return -1;
	/* LAB 3: END */
}

void pm_signal(uint32_t slot, int sig)
{
	if (sig <= 0 || pm.children[slot].state != MON_RUNNING)
		return;
	if (pm_fatal(slot, sig))
		pm_terminate(slot, sig);
	else if (procs[slot].handlers[sig] > (uint32_t)SIG_IGN && deliver(slot, sig) < 0)
		pm_terminate(slot, SIGSEGV);
}

int pm_signal_group(uint32_t pgid, int sig)
{
	int n = 0;
	for (uint32_t s = 0; s < pm.nchildren; s++) {
		if (pm.children[s].state == MON_RUNNING && procs[s].pgid == pgid) {
			pm_signal(s, sig);
			n++;
		}
	}
	return n;
}

static int signal_of(uint32_t exc)
{
	switch (exc) {
	case FLUKE_EXC_DIVIDE: return SIGFPE;
	case FLUKE_EXC_DEBUG: case FLUKE_EXC_BREAKPOINT: return SIGTRAP;
	case FLUKE_EXC_INVALID_OP: return SIGILL;
	case FLUKE_EXC_INSANITY: return SIGSYS;
	default: return SIGSEGV;
	}
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGFPE: return "SIGFPE";
	case SIGTRAP: return "SIGTRAP";
	case SIGILL: return "SIGILL";
	case SIGSYS: return "SIGSYS";
	default: return "SIGSEGV";
	}
}

int pm_exception(struct fluke_monitor *m, uint32_t slot, const fluke_keeper_msg_t *k,
		 struct fluke_rpc *rpc)
{
	(void)rpc;
	struct fluke_child *c = &m->children[slot];
	uint32_t exc = k->kind == FLUKE_KEEPER_PAGE_FAULT ? FLUKE_EXC_PAGE_FAULT : k->exc;
	int sig = signal_of(exc);
	if (pm_fatal(slot, sig) || procs[slot].handlers[sig] == (uint32_t)SIG_IGN) {
		printf("pm: %s (pid %u): %s (code 0x%x) at eip 0x%08x, address 0x%08x: %s\n",
		       c->name, c->pid, fluke_exception_name(exc), k->code, k->eip, k->addr,
		       signal_name(sig));
		pm_terminate(slot, sig);	/* an exception ignored would strike again */
		return 1;
	}
	if (deliver(slot, sig) < 0)
		pm_terminate(slot, SIGSEGV);
	return 1;
}
