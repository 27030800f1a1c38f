/* report_json.c - the result as JSON, the format other programs rely on. */
#include "report.h"

#include <stdlib.h>

void report_json(FILE *out, const struct result *r)
{
	cJSON *j = result_to_json(r);
	char *text = cJSON_Print(j);

	fputs(text, out);
	fputc('\n', out);
	free(text);
	cJSON_Delete(j);
}
