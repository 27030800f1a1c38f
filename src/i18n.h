/* i18n.h - gettext set-up: English msgids, Spanish by default. */
#ifndef I18N_H
#define I18N_H

#include <libintl.h>

#define _(s)  gettext(s)
#define N_(s) (s)

/* "es" or "en": the --lang option when given, else an English locale in
 * LC_ALL/LC_MESSAGES/LANG picks "en", anything else (C, unset...) "es". */
const char *i18n_pick(const char *option);

/* Point gettext at localedir and select lang ("es" or "en"). */
void i18n_init(const char *lang, const char *localedir);

/* The language selected by i18n_init. */
const char *i18n_lang(void);

#endif
