/* fuzz_escape.c - libFuzzer target: the escaping that shows any bytes to people. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/escape.h"

/* What a report prints must be valid UTF-8 whatever the program sent. */
static void check_utf8(const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		size_t len = utf8_seq_len((const unsigned char *)s + i, n - i);
		if (len == 0)
			abort();
		i += len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t max = size ? data[0] : 0;
	char *a = escape_dup(data, size, max);
	char *b = escape_tail(data, size, max + 1);

	check_utf8(a);
	check_utf8(b);
	free(a);
	free(b);
	return 0;
}
