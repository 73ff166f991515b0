/*
 * Trap entry points. Every vector pushes an error code (a zero where the CPU does
 * not push one) and its number, then joins alltraps, which completes a struct
 * trapframe (arch/trap.h) on the kernel stack and calls trap(tf). The system
 * call's vector, the hot path, builds the same frame and calls syscall(tf)
 * (kern/syscall/syscall.c) itself. Both then fall into or jump to
 * trap_frame_pop, which pops the frame and returns to it with iret.
 */
#include "arch/mmu.h"
#include "arch/trap.h"

#define VECTOR_NOERR(n)	.p2align 2; vector##n: pushl $0; pushl $(n); jmp alltraps
#define VECTOR_ERR(n)	.p2align 2; vector##n: pushl $(n); jmp alltraps

.text
VECTOR_NOERR(0);  VECTOR_NOERR(1);  VECTOR_NOERR(2);  VECTOR_NOERR(3)
VECTOR_NOERR(4);  VECTOR_NOERR(5);  VECTOR_NOERR(6);  VECTOR_NOERR(7)
VECTOR_ERR(8);    VECTOR_NOERR(9);  VECTOR_ERR(10);   VECTOR_ERR(11)
VECTOR_ERR(12);   VECTOR_ERR(13);   VECTOR_ERR(14);   VECTOR_NOERR(15)
VECTOR_NOERR(16); VECTOR_ERR(17);   VECTOR_NOERR(18); VECTOR_NOERR(19)
VECTOR_NOERR(20); VECTOR_NOERR(21); VECTOR_NOERR(22); VECTOR_NOERR(23)
VECTOR_NOERR(24); VECTOR_NOERR(25); VECTOR_NOERR(26); VECTOR_NOERR(27)
VECTOR_NOERR(28); VECTOR_NOERR(29); VECTOR_NOERR(30); VECTOR_NOERR(31)
VECTOR_NOERR(32); VECTOR_NOERR(33); VECTOR_NOERR(34); VECTOR_NOERR(35)
VECTOR_NOERR(36); VECTOR_NOERR(37); VECTOR_NOERR(38); VECTOR_NOERR(39)
VECTOR_NOERR(40); VECTOR_NOERR(41); VECTOR_NOERR(42); VECTOR_NOERR(43)
VECTOR_NOERR(44); VECTOR_NOERR(45); VECTOR_NOERR(46); VECTOR_NOERR(47)

/* Below the trapno and err a vector pushed, the rest of the frame; then the
 * kernel's data segments. */
.macro FRAME_SAVE
	pushl	%ds
	pushl	%es
	pushl	%fs
	pushl	%gs
	pushal
	movw	$SEG_KDATA, %ax
	movw	%ax, %ds
	movw	%ax, %es
	xorl	%ebp, %ebp		/* a backtrace stops at the trap */
.endm

alltraps:
	FRAME_SAVE
	pushl	%esp
	call	trap
	addl	$4, %esp
	jmp	trap_frame_pop

/* A fresh user thread's first run (context_switch returns here, kern/thread/thread.c):
 * its trapframe is at the stack pointer, and trap_exit checks it as every way back to
 * user mode does. */
.globl trap_first_return
trap_first_return:
	pushl	%esp
	call	trap_exit
	addl	$4, %esp
	jmp	trap_frame_pop

/* int $0x40, from user mode only (its gate's DPL is 3; trap.c). */
.p2align 2
vector64:
	pushl	$0
	pushl	$T_SYSCALL
	FRAME_SAVE
	pushl	%esp
	call	syscall
	addl	$4, %esp
.globl trap_frame_pop
trap_frame_pop:
	popal
	popl	%gs
	popl	%fs
	popl	%es
	popl	%ds
	addl	$8, %esp		/* trapno and err */
	iret

/* The vector table trap.c installs in the IDT; 0 where no entry point exists. */
.section .rodata
.p2align 2
.globl trap_vectors
trap_vectors:
	.long vector0, vector1, vector2, vector3, vector4, vector5, vector6, vector7
	.long vector8, vector9, vector10, vector11, vector12, vector13, vector14, vector15
	.long vector16, vector17, vector18, vector19, vector20, vector21, vector22, vector23
	.long vector24, vector25, vector26, vector27, vector28, vector29, vector30, vector31
	.long vector32, vector33, vector34, vector35, vector36, vector37, vector38, vector39
	.long vector40, vector41, vector42, vector43, vector44, vector45, vector46, vector47
.globl trap_vector_syscall
trap_vector_syscall:
	.long vector64
