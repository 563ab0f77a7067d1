/*
 * log — the one logging API of both programs.
 *
 * Messages go to stderr, one line each: control characters in a message
 * (a line break or an escape sequence quoted from a receiver's answer, a
 * path, a holder's command line) are written visibly (lib/utf8's
 * kg_escape_controls), so a message never spans lines nor forges another
 * one, and a terminal showing the log acts on nothing.  Under systemd (JOURNAL_STREAM set)
 * each line starts with the sd-daemon "<N>" priority prefix so journald keeps
 * the level; otherwise lines read "kigend: warning: ...".  The level check
 * happens before formatting.  Never pass secrets or feed tokens to these.
 */
#ifndef KG_LOG_H
#define KG_LOG_H

#include <stdbool.h>

enum kg_log_level {
	KG_LOG_ERR = 3,
	KG_LOG_WARNING = 4,
	KG_LOG_NOTICE = 5,
	KG_LOG_INFO = 6,
	KG_LOG_DEBUG = 7
};

/* ident: program name used as prefix.  Detects journald from JOURNAL_STREAM. */
void kg_log_init(const char *ident, enum kg_log_level level);
void kg_log_set_level(enum kg_log_level level);
/* "error", "warning", "notice", "info", "debug" -> level; -1 if unknown. */
int kg_log_level_parse(const char *name);

/* Whether messages of this level are written (to skip work only a log line needs). */
bool kg_log_enabled(enum kg_log_level level);

void kg_log(enum kg_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...) kg_log(KG_LOG_ERR, __VA_ARGS__)
#define log_warn(...) kg_log(KG_LOG_WARNING, __VA_ARGS__)
#define log_notice(...) kg_log(KG_LOG_NOTICE, __VA_ARGS__)
#define log_info(...) kg_log(KG_LOG_INFO, __VA_ARGS__)
#define log_debug(...) kg_log(KG_LOG_DEBUG, __VA_ARGS__)

#endif
