/*
 * Program entry. The loader leaves [esp] = argc and [esp+4] = argv; call
 * main(argc, argv) and hand its result to exit().
 */
.section .text.start, "ax"
.globl _start
_start:
	xorl	%ebp, %ebp		/* ends backtraces */
	movl	(%esp), %eax
	movl	4(%esp), %edx
	andl	$~15, %esp
	subl	$8, %esp
	pushl	%edx
	pushl	%eax
	call	main
	pushl	%eax
	call	exit
1:	jmp	1b
