/*
 * notify — kigend's side of the systemd service protocol (sd_notify).
 *
 * Under Type=notify systemd learns from these messages when the daemon
 * serves (READY), what it is doing (STATUS, shown by `systemctl status`),
 * that it is alive (WATCHDOG, when the unit sets WatchdogSec=), and when it
 * reloads or stops.  Outside systemd (no $NOTIFY_SOCKET) every call does
 * nothing, so callers never need to check.  Failures to notify are ignored:
 * they cannot be reported anywhere useful and must not stop the service.
 */
#ifndef KG_NOTIFY_H
#define KG_NOTIFY_H

#include <stdint.h>

/* READY=1 with a one-line STATUS. */
void kg_notify_ready(const char *status);

/* STATUS=<one line>: the summary `systemctl status kigend` shows. */
void kg_notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* RELOADING=1 before a configuration reload; kg_notify_ready() after it. */
void kg_notify_reloading(void);

/* STOPPING=1 when shutdown begins. */
void kg_notify_stopping(void);

/* The interval at which to send WATCHDOG=1 — half of WatchdogSec=, in
 * microseconds — or 0 when no watchdog is configured for this process. */
uint64_t kg_notify_watchdog_interval_us(void);

/* WATCHDOG=1: "still alive".  Send it from the loop, so a hung loop stops
 * the pings and systemd restarts the service. */
void kg_notify_watchdog(void);

#endif
