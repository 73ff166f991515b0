#include <fluke/test.h>
#include <fluke/fmt.h>
#include <fluke/syscalls.h>
#include <string.h>

int test_failures;

int test_record(const char *kind, const char *fmt, ...)
{
	char line[200];
	int n = snprintf(line, sizeof(line), "%s ", kind);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	return fluke_test_record(line, strlen(line));
}
