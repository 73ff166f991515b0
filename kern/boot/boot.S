/*
 * The boot sector. The BIOS loads it at 0x7C00 and jumps here in 16-bit real mode.
 * It enables the A20 line, switches to 32-bit protected mode with flat segments and
 * calls loader_main (loader.c), which reads the kernel from the disk and enters it.
 * Everything in this sector must fit in 510 bytes (tools/fluke_image.py checks).
 */
#define SEG_CODE 0x08
#define SEG_DATA 0x10

.code16
.globl start
start:
	cli
	cld
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0x7c00, %sp

	/* Fast A20 gate (system control port A, bit 1); bit 0 would reset the machine. */
	inb	$0x92, %al
	orb	$0x02, %al
	andb	$0xfe, %al
	outb	%al, $0x92

	lgdt	gdt_desc
	movl	%cr0, %eax
	orl	$1, %eax		/* CR0.PE */
	movl	%eax, %cr0
	ljmp	$SEG_CODE, $protected

.code32
protected:
	movw	$SEG_DATA, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	movl	$0x7c00, %esp
	call	loader_main
	/* loader_main returns only if the disk holds no kernel. */
halt:
	hlt
	jmp	halt

/* Flat 4 GiB code and data segments. */
.p2align 3
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* code: base 0, limit 4G, execute/read, ring 0 */
	.quad	0x00cf92000000ffff	/* data: base 0, limit 4G, read/write, ring 0 */
gdt_desc:
	.word	gdt_desc - gdt - 1
	.long	gdt
