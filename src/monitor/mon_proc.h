/* mon_proc: the server process's own view of its memory, from /proc, for a
 * server on this host — RSS as the kernel counts it, which is what the OOM
 * killer and a container limit see (INFO's used_memory_rss is the same
 * number read by the server, but only as often as the server refreshes it).
 *
 * Fields: proc.rss_bytes (VmRSS), proc.hwm_bytes (VmHWM, peak RSS),
 * proc.rss_anon_bytes, proc.rss_file_bytes, proc.vm_size_bytes,
 * proc.swap_bytes, proc.threads, proc.cpu_user_seconds,
 * proc.cpu_sys_seconds.  The parsers take the text of /proc/PID/status and
 * /proc/PID/stat so they can be tested and fuzzed without a process. */
#ifndef MON_PROC_H
#define MON_PROC_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/vm_err.h"
#include "mon_fields.h"

/* Lines "VmRSS:   1234 kB" → bytes.  Returns how many fields were added. */
size_t mon_proc_parse_status(const char *text, size_t len, mon_fields *out);
/* utime and stime of /proc/PID/stat (fields 14, 15, after the ")" that ends
 * the command name, which may itself hold spaces and parentheses). */
size_t mon_proc_parse_stat(const char *text, size_t len, double ticks_per_s, mon_fields *out);

/* true when host names this machine's loopback (127.0.0.0/8, ::1, localhost). */
bool mon_proc_is_loopback(const char *host);

/* Check that pid is a Valkey / Redis server on this host we may read: its
 * command name holds "valkey", "redis" or "server".  In a container with its
 * own pid namespace INFO's process_id names another process: this is what
 * catches it.  Returns 0, or -1 with err saying why not. */
int mon_proc_check(int pid, vm_err *err);

/* Read /proc/PID/status and /proc/PID/stat into out; -1 with err when the
 * process is gone. */
int mon_proc_sample(int pid, mon_fields *out, vm_err *err);

#endif
