/* notify — see notify.h.  Thin wrappers over libsystemd's sd_notify. */
#include "notify.h"

#include <stdarg.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "utf8.h"

void
kg_notify_ready(const char *status)
{
	sd_notifyf(0, "READY=1\nSTATUS=%s", status);
}

void
kg_notify_status(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	kg_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	sd_notifyf(0, "STATUS=%s", line);
}

void
kg_notify_reloading(void)
{
	struct timespec ts;

	/* MONOTONIC_USEC lets newer systemd (Type=notify-reload) match the
	 * reload to its request; older versions ignore it. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
}

void
kg_notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}

uint64_t
kg_notify_watchdog_interval_us(void)
{
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) <= 0)
		return 0;
	return usec / 2;
}

void
kg_notify_watchdog(void)
{
	sd_notify(0, "WATCHDOG=1");
}
