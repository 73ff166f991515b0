/*
 * A stand-in for the Fluke kernel, used only by the grader's self-tests.
 *
 * QEMU boots it as a Multiboot (v1) kernel with -kernel and -append.  The word fake=MODE on
 * the command line picks what it does; every mode but "forge" tags its records with the
 * nonce= word, as the real kernel does (handouts/boot.md section 4):
 *
 *   pass     banner, "hello from user space", BOOT, PASS fake, END status=0; exit 0
 *   fail     BOOT, FAIL fake with a reason, END status=3; exit 3
 *   panic    a panic report with one frame inside fake_panic_site, PANIC, END status=1; exit 1
 *   timeout  BOOT, TIMEOUT with the budget= word, END status=2; exit 2
 *   forge    the pass output, but the records carry a wrong nonce or none, and the console
 *            carries a correct PASS record (consoles are never read for records)
 *   spin     BOOT, then loops forever with interrupts off (the host must stop it)
 *   loop     the pass output up to PASS fake, a console line with a tab and an escape
 *            byte, then loops forever with interrupts off (a kernel call that never returns)
 *   late     the pass output up to PASS fake, then END status=3 (the first task failed
 *            after its check passed); exit 3
 *   halt     BOOT, then halts forever with interrupts off (no instruction runs: a hang)
 *   triple   BOOT, then faults with an empty IDT: a triple fault
 *   deadlock BOOT, DEADLOCK and two BLOCKED records (two threads, each waiting for the
 *            other's mutex), END status=4; exit 4
 *   idle     BOOT, IDLE and a BLOCKED record (one thread waiting for console input), then
 *            loops forever with interrupts off (only the grader can judge it)
 *   flood    BOOT, then on the console a line of 300,000 characters led by ESC, NUL and
 *            BEL, 50,000 short lines and a last line with control characters; PASS fake,
 *            END status=0; exit 0 (the grader must bound and escape what it keeps and shows)
 *
 * Built at test time by selftest/fakes.py with gcc -m32 -nostdlib -T fake_kernel.ld.
 */
#define COM1	0x3f8		/* console: the first serial port */
#define E9	0xe9		/* test records */
#define EXIT	0xf4		/* isa-debug-exit: QEMU exits with status (v << 1) | 1 */
#define FLOOD_LINE	300000	/* flood: the long line's characters after its head */
#define FLOOD_LINES	50000	/* ... and the short lines after it */

	.text
	.align 4
	.long 0x1BADB002, 0, -0x1BADB002	/* Multiboot header: magic, flags, checksum */

	.globl _start
_start:
	movl $stack_top, %esp
	xorl %esi, %esi				/* %esi = command line, or 0 */
	cmpl $0x2BADB002, %eax
	jne 1f
	testl $4, (%ebx)			/* Multiboot info flag 2: cmdline is valid */
	jz 1f
	movl 16(%ebx), %esi
1:	movl %esi, cmdline

	movl $key_nonce, %edi			/* remember the nonce for every record */
	call getarg
	movl %esi, nonce
	movl %ecx, nonce_len

	movw $COM1, %dx
	movl $banner, %esi
	call puts

	movl $key_fake, %edi			/* dispatch on fake=MODE; no word means "pass" */
	call getarg
	movl $modes, %ebx
2:	movl (%ebx), %edi
	testl %edi, %edi
	jz mode_pass
	call streq
	je 3f
	addl $8, %ebx
	jmp 2b
3:	jmp *4(%ebx)

mode_pass:
	movw $COM1, %dx
	movl $hello, %esi
	call puts
	movl $rec_boot, %esi
	call record
pass_end:					/* PASS fake, END status=0, exit 0 */
	movl $rec_pass, %esi
	call record
	movl $rec_end0, %esi
	call record
	call put_tsc
	call newline
	movb $0, %al
	jmp exit

mode_fail:
	movl $rec_boot, %esi
	call record
	movl $rec_fail, %esi
	call record
	movl $rec_end3, %esi
	call record
	call put_tsc
	call newline
	movb $3, %al
	jmp exit

mode_panic:
	movl $rec_boot, %esi
	call record
	call fake_panic_site
fake_panic_site:				/* the return address above lies in this function */
	movw $COM1, %dx
	movl $panic_text, %esi
	call puts
	popl %eax
	call puthex
	call newline
	movl $rec_panic, %esi
	call record
	movl $rec_end1, %esi
	call record
	call put_tsc
	call newline
	movb $1, %al
	jmp exit

mode_timeout:
	movl $rec_boot, %esi
	call record
	movl $rec_timeout, %esi
	call record
	call put_tsc
	movl $budget_text, %esi
	call puts
	movl $key_budget, %edi
	call getarg
	call putn
	call newline
	movl $rec_end2, %esi
	call record
	call put_tsc
	call newline
	movb $2, %al
	jmp exit

mode_forge:
	movw $COM1, %dx
	movl $hello, %esi
	call puts
	movl $rec_pass, %esi			/* a correct record, but on the console */
	call record_on
	movl $forged, %esi			/* wrong nonces and no nonce, on the record port */
	movw $E9, %dx
	call puts
	movb $0, %al
	jmp exit

mode_spin:
	movl $rec_boot, %esi
	call record
	cli
1:	jmp 1b

mode_loop:
	call pass_upto_end
	movl $looping, %esi
	call puts
	cli
1:	jmp 1b

mode_late:
	call pass_upto_end
	movl $rec_end3, %esi
	call record
	call put_tsc
	call newline
	movb $3, %al
	jmp exit

/* pass_upto_end: the pass mode's output before its END record; leaves %dx = COM1. */
pass_upto_end:
	movw $COM1, %dx
	movl $hello, %esi
	call puts
	movl $rec_boot, %esi
	call record
	movl $rec_pass, %esi
	call record
	movw $COM1, %dx
	ret

mode_halt:
	movl $rec_boot, %esi
	call record
	cli
1:	hlt
	jmp 1b

mode_deadlock:
	movl $rec_boot, %esi
	call record
	movl $rec_deadlock, %esi
	call record
	movl $rec_blocked_a, %esi
	call record
	movl $rec_blocked_b, %esi
	call record
	movl $rec_end4, %esi
	call record
	call put_tsc
	call newline
	movb $4, %al
	jmp exit

mode_idle:
	movl $rec_boot, %esi
	call record
	movl $rec_idle, %esi
	call record
	movl $rec_blocked_input, %esi
	call record
	cli
1:	jmp 1b

mode_triple:
	movl $rec_boot, %esi
	call record
	lidt empty_idt
	int $3

mode_flood:
	movl $rec_boot, %esi
	call record
	movw $COM1, %dx
	movl $flood_head, %esi
	movl $flood_head_len, %ecx
	call putn
	movl $FLOOD_LINE, %ecx
	movb $'x', %al
1:	outb %al, %dx
	loop 1b
	call newline
	movl $FLOOD_LINES, %ebx
2:	movl $flood_short, %esi
	call puts
	decl %ebx
	jnz 2b
	movl $flood_last, %esi
	call puts
	jmp pass_end

/* Writes %al to the exit port; QEMU stops there. */
exit:
	movw $EXIT, %dx
	outb %al, %dx
	cli
1:	hlt
	jmp 1b

/*
 * getarg: finds the word starting with the key at %edi (e.g. "nonce=") in the command line.
 * Returns %esi = its value and %ecx = the value's length (0 and an empty string if absent).
 */
getarg:
	pushl %ebx
	movl cmdline, %ebx
	testl %ebx, %ebx
	jz 5f
	movb $' ', %ah				/* %ah = the character before %ebx */
1:	cmpb $' ', %ah				/* a word starts here: compare it with the key */
	jne 3f
	xorl %ecx, %ecx
2:	movb (%edi,%ecx), %al
	testb %al, %al
	jz 6f					/* the whole key matched */
	cmpb (%ebx,%ecx), %al
	jne 3f
	incl %ecx
	jmp 2b
3:	movb (%ebx), %ah			/* next character */
	testb %ah, %ah
	jz 5f
	incl %ebx
	jmp 1b
5:	movl $empty, %esi
	xorl %ecx, %ecx
	popl %ebx
	ret
6:	leal (%ebx,%ecx), %esi			/* the value runs to a space or the end */
	xorl %ecx, %ecx
7:	movb (%esi,%ecx), %al
	testb %al, %al
	jz 8f
	cmpb $' ', %al
	je 8f
	incl %ecx
	jmp 7b
8:	popl %ebx
	ret

/* streq: sets ZF when the %ecx bytes at %esi equal the NUL-terminated string at %edi. */
streq:
	pushl %ecx
	pushl %esi
	pushl %edi
	repe cmpsb
	jne 1f
	cmpb $0, (%edi)
1:	popl %edi
	popl %esi
	popl %ecx
	ret

/* puts: writes the NUL-terminated string at %esi to port %dx. */
puts:
	lodsb
	testb %al, %al
	jz 1f
	outb %al, %dx
	jmp puts
1:	ret

/* putn: writes the %ecx bytes at %esi to port %dx. */
putn:
	jecxz 1f
	rep outsb
1:	ret

/* record: writes "FLUKE <nonce> " and then the string at %esi to the record port;
   record_on writes the same to port %dx. */
record:
	movw $E9, %dx
record_on:
	pushl %esi
	movl $fluke, %esi
	call puts
	movl nonce, %esi
	movl nonce_len, %ecx
	call putn
	movb $' ', %al
	outb %al, %dx
	popl %esi
	jmp puts

/* put_tsc: writes the time-stamp counter in decimal to the record port. */
put_tsc:
	rdtsc
	movl $digits_end, %edi
	movl $10, %ebx
1:	movl %eax, %ecx				/* edx:eax /= 10, remainder in %edx */
	movl %edx, %eax
	xorl %edx, %edx
	divl %ebx
	xchgl %eax, %ecx
	divl %ebx
	addb $'0', %dl
	decl %edi
	movb %dl, (%edi)
	movl %ecx, %edx
	movl %eax, %ecx
	orl %edx, %ecx
	jnz 1b
	movl %edi, %esi
	movw $E9, %dx
	jmp puts

/* newline: writes a newline to port %dx. */
newline:
	movb $'\n', %al
	outb %al, %dx
	ret

/* puthex: writes %eax as 0x and eight hex digits to port %dx. */
puthex:
	movl %eax, %ebx
	movb $'0', %al
	outb %al, %dx
	movb $'x', %al
	outb %al, %dx
	movl $8, %ecx
1:	roll $4, %ebx
	movb %bl, %al
	andb $15, %al
	addb $'0', %al
	cmpb $'9', %al
	jbe 2f
	addb $'a'-'9'-1, %al
2:	outb %al, %dx
	loop 1b
	ret

	.data
modes:	.long m_pass, mode_pass, m_fail, mode_fail, m_panic, mode_panic
	.long m_timeout, mode_timeout, m_forge, mode_forge, m_spin, mode_spin
	.long m_halt, mode_halt, m_triple, mode_triple, m_deadlock, mode_deadlock
	.long m_idle, mode_idle, m_flood, mode_flood, m_loop, mode_loop, m_late, mode_late, 0
m_pass:		.asciz "pass"
m_fail:		.asciz "fail"
m_panic:	.asciz "panic"
m_timeout:	.asciz "timeout"
m_forge:	.asciz "forge"
m_spin:		.asciz "spin"
m_halt:		.asciz "halt"
m_triple:	.asciz "triple"
m_deadlock:	.asciz "deadlock"
m_idle:		.asciz "idle"
m_flood:	.asciz "flood"
m_loop:		.asciz "loop"
m_late:		.asciz "late"
key_nonce:	.asciz "nonce="
key_fake:	.asciz "fake="
key_budget:	.asciz "budget="
empty:		.asciz ""
fluke:		.asciz "FLUKE "
banner:		.asciz "Fluke kernel (fake, for the grader's self-tests)\n"
hello:		.asciz "hello from user space\n"
looping:	.asciz "fake: waiting\tfor \033[1mever\033[0m\n"
panic_text:	.asciz "kernel panic: deliberate panic\nTrap: Page Fault\nBacktrace:\n  frame 0 "
budget_text:	.asciz " budget="
rec_boot:	.asciz "BOOT version=fake\n"
rec_pass:	.asciz "PASS fake\n"
rec_fail:	.asciz "FAIL fake expected 42, got 41\n"
rec_panic:	.asciz "PANIC deliberate panic\n"
rec_timeout:	.asciz "TIMEOUT tsc="
rec_end0:	.asciz "END status=0 tsc="
rec_end1:	.asciz "END status=1 tsc="
rec_end2:	.asciz "END status=2 tsc="
rec_end3:	.asciz "END status=3 tsc="
rec_end4:	.asciz "END status=4 tsc="
rec_deadlock:	.asciz "DEADLOCK threads=2\n"
rec_blocked_a:	.ascii "BLOCKED thread=0000000a prog=fake space=00000005 eip=00001000 "
		.asciz "waits=mutex on=0000000c other=0000000b otherprog=fake\n"
rec_blocked_b:	.ascii "BLOCKED thread=0000000b prog=fake space=00000005 eip=00001000 "
		.asciz "waits=mutex on=0000000d other=0000000a otherprog=fake\n"
rec_idle:	.asciz "IDLE threads=1 console=1 input=0\n"
rec_blocked_input:
		.ascii "BLOCKED thread=0000000a prog=fake space=00000005 eip=00001000 "
		.asciz "waits=console-input\n"
forged:		.ascii "FLUKE 0123456789abcdef BOOT version=fake\n"
		.ascii "FLUKE PASS fake\n"
		.ascii "FLUKE 0123456789abcdef PASS fake\n"
		.asciz "FLUKE 0123456789abcdef END status=0 tsc=1\n"
	.align 8
empty_idt:	.word 0
		.long 0

flood_head:	.ascii "flood: \033[2J\000\007"
	.set flood_head_len, . - flood_head
flood_short:	.asciz "short line\n"
flood_last:	.asciz "flood: the end \033]0;title\007\033[31mred\r\n"

	.bss
cmdline:	.space 4
nonce:		.space 4
nonce_len:	.space 4
digits:		.space 20
digits_end:	.space 4
	.align 16
		.space 4096
stack_top:
