/* doctor.c - ./checker doctor: what isolation this machine offers. */
#include "doctor.h"

#include <unistd.h>

#include "box.h"
#include "cgroup.h"
#include "filter.h"
#include "i18n.h"

static void line(FILE *out, int ok, const char *what, const char *detail)
{
	fprintf(out, "  %s %s%s%s\n", ok ? "✓" : "✗", what, detail ? ": " : "",
	        detail ? detail : "");
}

int doctor_run(FILE *out)
{
	int root = geteuid() == 0;
	int a = root && box_tier_works(TIER_A);
	int b = box_tier_works(TIER_B);
	const char *cg = cgroup_mode();
	enum tier best = a ? TIER_A : b ? TIER_B : TIER_C;

	fprintf(out, "%s\n", _("What this machine offers to isolate learners' programs:"));
	line(out, root, _("running as root"), root ? NULL : _("no: tier A needs root"));
	line(out, a || b, _("network, process and mount namespaces"),
	     a   ? _("yes, as root")
	     : b ? _("yes, inside a user namespace")
	         : _("no"));
	line(out, b, _("user namespaces without root"), NULL);
	line(out, filter_works(), _("seccomp deny-list"), NULL);
	line(out, cg != NULL, _("memory and process cgroups"),
	     cg ? cg : _("no: memory is limited with RLIMIT_AS instead"));
	line(out, 1, _("resource limits (rlimits)"), NULL);
	fprintf(out, "\n%s %s\n", _("Tier used:"), box_tier_describe(best));
	if (best == TIER_C)
		fprintf(out, "%s\n",
		        _("Warning: weak isolation. Run as root, or enable unprivileged user "
		          "namespaces (sysctl kernel.unprivileged_userns_clone=1)."));
	return 0;
}
