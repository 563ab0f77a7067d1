/* log — see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static const char *log_ident = "kigen";
static enum kg_log_level log_level = KG_LOG_INFO;
static int log_journal;

static const char *const level_names[8] = {
	"emerg", "alert", "crit", "error", "warning", "notice", "info", "debug",
};

void
kg_log_init(const char *ident, enum kg_log_level level)
{
	log_ident = ident;
	log_level = level;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

void
kg_log_set_level(enum kg_log_level level)
{
	log_level = level;
}

int
kg_log_level_parse(const char *name)
{
	int i;

	for (i = KG_LOG_ERR; i <= KG_LOG_DEBUG; i++)
		if (strcmp(name, level_names[i]) == 0)
			return i;
	return -1;
}

bool
kg_log_enabled(enum kg_log_level level)
{
	return level <= log_level;
}

void
kg_log(enum kg_log_level level, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	kg_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (log_journal)
		fprintf(stderr, "<%d>", (int)level);
	else
		fprintf(stderr, "%s: %s: ", log_ident, level_names[level]);
	kg_escape_controls(stderr, line, strlen(line), "\t");
	fputc('\n', stderr);
}
