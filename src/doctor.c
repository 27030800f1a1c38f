/* doctor.c - ./checker doctor: what isolation this machine offers, protection by protection. */
#include "doctor.h"

#include <unistd.h>

#include "box.h"
#include "boxid.h"
#include "cgroup.h"
#include "filter.h"
#include "i18n.h"

static void line(FILE *out, int ok, const char *what, const char *detail)
{
	fprintf(out, "  %s %s%s%s\n", ok ? "✓" : "✗", what, detail ? ": " : "",
	        detail ? detail : "");
}

/* How the programs of tier t get an identity of their own. */
static void identity(FILE *out, enum tier t)
{
	char range[128], why[ERR_LEN] = "";
	struct boxid id;
	int first, last;

	if (t == TIER_B) {
		int sub = boxid_acquire_sub(&id, why) == 0;
		boxid_release(&id);
		line(out, sub && !box_tier_weak(t), _("a subordinate uid per box (newuidmap)"),
		     sub ? NULL : why);
		return;
	}
	if (geteuid() != 0) {
		line(out, 0, _("a uid of its own per box"),
		     _("no: the program runs with your uid"));
		return;
	}
	if (boxid_range(&first, &last, why) < 0) {
		line(out, 0, _("a uid of its own per box"), why);
		return;
	}
	/* TRANSLATORS: the first and last uid, then the folder of the locks. */
	snprintf(range, sizeof(range), _("uids %d to %d, locked in %s"), first, last,
	         BOXID_LOCK_DIR);
	line(out, 1, _("a uid of its own per box"), range);
}

int doctor_run(FILE *out)
{
	int root = geteuid() == 0;
	int a = root && box_tier_works(TIER_A);
	int b = box_tier_works(TIER_B);
	const char *cg = cgroup_mode();
	enum tier best = a ? TIER_A : b ? TIER_B : TIER_C;
	int own = best != TIER_C;

	fprintf(out, "%s\n", _("What this machine offers to isolate learners' programs:"));
	line(out, root, _("running as root"), root ? NULL : _("no: tier A needs root"));
	line(out, b, _("user namespaces without root"), NULL);
	line(out, own, _("network, process, mount, IPC and host-name namespaces"),
	     a   ? _("yes, as root")
	     : b ? _("yes, inside a user namespace")
	         : _("no"));
	line(out, own, _("a root of its own: only the system, the work folder and a private /tmp"),
	     NULL);
	line(out, own, _("a /proc that hides the checker's processes"), NULL);
	identity(out, best);
	line(out, 1, _("no terminal: a session of its own, TIOCSTI and TIOCLINUX denied"), NULL);
	line(out, filter_works(), _("seccomp deny-list"), NULL);
	line(out, cg != NULL && best != TIER_B, _("memory and process cgroups"),
	     cg && best != TIER_B ? cg : _("no: memory is limited with RLIMIT_AS instead"));
	line(out, 1, _("resource limits (rlimits)"), NULL);
	line(out, own, _("the compiler in a box like the program's"),
	     own ? NULL : _("no: it reads what you can read"));
	fprintf(out, "\n%s %s\n", _("Tier used:"), box_tier_describe(best));
	if (box_tier_weak(best))
		/* TRANSLATORS: %s is what the tier lacks (box_tier_missing). */
		fprintf(out,
		        _("Warning: weak isolation: %s. ./checker grade refuses it unless "
		          "given --allow-weak. Run as root, or install uidmap and give this "
		          "user subordinate ids (usermod --add-subuids), or enable "
		          "unprivileged user namespaces.\n"),
		        box_tier_missing(best));
	return 0;
}
