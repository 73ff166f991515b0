/*
 * Checks of the kernel base that a user program can observe, reported as test
 * records: bad system-call arguments get error codes (never a crash), and the
 * shared formatter and string functions behave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <fluke/abi/boot.h>
#include <fluke/abi/error.h>
#include <fmt.h>
#include <fluke/syscalls.h>
#include <fluke/test.h>

static int raw_syscall(uint32_t num, uint32_t a1, uint32_t a2)
{
	int r;
	__asm__ volatile("int $0x40" : "=a"(r) : "a"(num), "b"(a1), "c"(a2) : "memory", "cc");
	return r;
}

static void syscall_errors(void)
{
	const char *t = "syscall-errors";
	test_record("BEGIN", "%s", t);
	CHECK(t, fluke_console_write((const char *)0xc0000000, 4) == FLUKE_BAD_ADDRESS);
	CHECK(t, fluke_console_write((const char *)0x10, 4) == FLUKE_BAD_ADDRESS);
	CHECK(t, fluke_console_write((const char *)0xbffffffe, 8) == FLUKE_BAD_ADDRESS);
	CHECK(t, fluke_console_write("", 0) == FLUKE_SUCCESS);
	/* A length past the limit is refused before anything is checked or written. */
	CHECK(t, fluke_console_write((const char *)0x10, FLUKE_CONSOLE_WRITE_MAX + 1) ==
		 FLUKE_INVALID_ARGUMENT);
	CHECK(t, fluke_console_write("", 0xffffffffu) == FLUKE_INVALID_ARGUMENT);
	CHECK(t, fluke_test_record("PWNED x", 7) == FLUKE_INVALID_ARGUMENT);
	CHECK(t, fluke_test_record("PASS a\nPASS b", 13) == FLUKE_INVALID_ARGUMENT);
	CHECK(t, fluke_test_record((const char *)0x20, 4) == FLUKE_BAD_ADDRESS);
	/* The kernel writes through the page tables: program text, present and read-only,
	 * refuses it (a protection fault the copy recovers from), and so does a buffer
	 * that runs past the top of user memory. */
	CHECK(t, fluke_vm_stats((void *)(uintptr_t)raw_syscall) == FLUKE_BAD_ADDRESS);
	CHECK(t, fluke_vm_stats((void *)0xbffffffc) == FLUKE_BAD_ADDRESS);
	CHECK(t, raw_syscall(0, 0, 0) == FLUKE_INVALID_SYSCALL);
	CHECK(t, raw_syscall(0xdeadbeef, 1, 2) == FLUKE_INVALID_SYSCALL);
	test_record("PASS", "%s", t);
}

static void formatter(void)
{
	const char *t = "formatter";
	char buf[64];
	test_record("BEGIN", "%s", t);
	snprintf(buf, sizeof(buf), "[%5d|%-5s|%05x|%c]", -42, "ab", 0xbeef, 'z');
	CHECK(t, strcmp(buf, "[  -42|ab   |0beef|z]") == 0);
	snprintf(buf, sizeof(buf), "%llu %lld %X %o %%", 18446744073709551615ull, -9000000000ll, 255u, 8u);
	CHECK(t, strcmp(buf, "18446744073709551615 -9000000000 FF 10 %") == 0);
	snprintf(buf, sizeof(buf), "%p %.3s %s", (void *)0x1234, "abcdef", (char *)0);
	CHECK(t, strcmp(buf, "0x00001234 abc (null)") == 0);
	CHECK(t, snprintf(buf, 4, "%d", 123456) == 6 && strcmp(buf, "123") == 0);
	test_record("PASS", "%s", t);
}

/* Whether fmt with the arguments formats to want, counted right; printed as
 * "fmt: RESULT" too, for the grader to compare with the C99 result. (No format
 * attribute: some cases, '#' with %u, are flags C leaves undefined and we ignore.) */
static int formats(const char *want, const char *fmt, ...)
{
	char buf[96];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("fmt: %s\n", buf);
	return n == (int)strlen(want) && strcmp(buf, want) == 0;
}

/* The C99 flags of the integer conversions, each case's result as glibc prints it. */
static void formatter_flags(void)
{
	const char *t = "formatter-flags";
	test_record("BEGIN", "%s", t);
	CHECK(t, formats("0xff|0XFF|0", "%#x|%#X|%#x", 255u, 255u, 0u));
	CHECK(t, formats("010|0|010|0|", "%#o|%#o|%#.3o|%#.0o|%.0o", 8u, 0u, 8u, 0u, 0u));
	CHECK(t, formats("      0xab|0x000000ab|0xab    |", "%#10x|%#010x|%-#8x|", 0xabu, 0xabu,
			 0xabu));
	CHECK(t, formats("+5| 5|+5| 0042|+007|-3", "%+d|% d|%+ d|% 05d|%+.3d|%+d", 5, 5, 5, 42, 7,
			 -3));
	CHECK(t, formats("||     |", "%.0d|%.0x|%5.0u|%.0i", 0, 0u, 0u, 0));
	CHECK(t, formats("  00a|10   |     0ab|5       |", "%5.3x|%-5o|%08.3x|%-08d|", 0xau, 8u,
			 0xabu, 5));
	CHECK(t, formats("5|5|5|5", "%+u|% u|%#u|%#d", 5u, 5u, 5u, 5));
	CHECK(t, formats("7   |7  |7|  001f", "%*d|%-*d|%.*d|%*.*x", -4, 7, 3, 7, -1, 7, 6, 4,
			 0x1fu));
	CHECK(t, formats("0x10 3 ok", "%#x %d %s", 16u, 3, "ok"));	/* '#' takes no argument */
	CHECK(t, formats("0x123456789ab|+9000000000| 12|0100", "%#llx|%+lld|% ld|%#lo",
			 0x123456789abull, 9000000000ll, 12l, 64ul));
	CHECK(t, formats("   +9|+9   |-0009| 9  |", "%+5d|%-+5d|%+05d|% -4d|", 9, 9, -9, 9));
	CHECK(t, formats("  010|0XBEEF|000010", "%#5o|%#-6X|%#06o", 8u, 0xbeefu, 8u));
	test_record("PASS", "%s", t);
}

/* memset, memcpy and memmove (a word at a time past the first bytes) at every
 * alignment and length up to 40, overlapping both ways, against a byte loop. */
static int word_copies(void)
{
	static unsigned char buf[64], want[64];
	for (unsigned d = 0; d < 4; d++)
		for (unsigned s = 0; s < 8; s++)
			for (unsigned n = 0; n <= 40; n++) {
				for (unsigned i = 0; i < sizeof(buf); i++)
					buf[i] = want[i] = (unsigned char)(i * 7 + 1);
				unsigned char tmp[64];
				for (unsigned i = 0; i < n; i++)
					tmp[i] = want[s + i];
				for (unsigned i = 0; i < n; i++)
					want[d + 4 + i] = tmp[i];
				if (memmove(buf + d + 4, buf + s, n) != buf + d + 4 ||
				    memcmp(buf, want, sizeof(buf)) != 0)
					return 0;
				memset(want + s, 0xa5, n);
				if (memset(buf + s, 0xa5, n) != buf + s || memcmp(buf, want, sizeof(buf)))
					return 0;
				unsigned char out[48] = { 0 };
				if (memcpy(out + d, buf + s, n) != out + d || out[d + n] != 0)
					return 0;
				for (unsigned i = 0; i < n; i++)
					if (out[d + i] != buf[s + i])
						return 0;
			}
	return 1;
}

static void strings(void)
{
	const char *t = "strings";
	char a[16], b[16];
	test_record("BEGIN", "%s", t);
	memset(a, 'x', sizeof(a));
	CHECK(t, strlcpy(a, "fluke", sizeof(a)) == 5 && strcmp(a, "fluke") == 0);
	memcpy(b, a, 6);
	memmove(a + 1, a, 6);
	CHECK(t, memcmp(a, "ffluke", 7) == 0 && strcmp(b, "fluke") == 0);
	CHECK(t, strchr(b, 'u') == b + 2 && strrchr("a/b/c", '/') != NULL && strchr(b, 'q') == NULL);
	CHECK(t, strncmp("abcd", "abcz", 3) == 0 && strcmp("abc", "abd") < 0);
	CHECK(t, strstr("recursive machines", "machine") != NULL && strstr("vm", "nest") == NULL);
	CHECK(t, word_copies());
	test_record("PASS", "%s", t);
}

int main(void)
{
	syscall_errors();
	formatter();
	formatter_flags();
	strings();
	printf("kcheck: %d failure(s)\n", test_failures);
	return test_failures != 0;
}
