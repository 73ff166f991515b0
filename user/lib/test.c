#include <fluke/test.h>
#include <fmt.h>
#include <fluke/syscalls.h>
#include <fluke/thread.h>
#include <fluke/ref.h>
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

void test_settle(void)
{
	for (int i = 0; i < 20; i++)
		fluke_thread_yield();
}

int test_stop_resume(fluke_thread_t *t)
{
	static fluke_ref_t waiting;	/* what t waited on */
	static int made;
	fluke_thread_state_t st;
	if (!made) {
		fluke_ref_create(&waiting);
		made = 1;
	}
	fluke_thread_get_state(t, &st, 0, 0, &waiting, 0, 0);
	int type = fluke_ref_type(&waiting);
	st.flags &= ~FLUKE_THREAD_STOPPED;
	fluke_thread_set_state(t, &st, 0, 0);
	return type == FLUKE_TYPE_THREAD || type == FLUKE_TYPE_PORT;
}
