/* fuzz_spec.c - libFuzzer target: any bytes given to the spec loader. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[ERR_LEN];
	char *text = malloc(size + 1);
	struct spec *s;

	memcpy(text, data, size);
	text[size] = '\0';
	s = spec_parse(text, "fuzz.json", err);
	if (!s && !err[0])
		abort(); /* a rejected spec always says why */
	spec_free(s);
	free(text);
	return 0;
}
