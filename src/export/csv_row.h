/* csv_row: what the CSV writers share — cell quoting, number formatting and
 * the one-write(2)-per-row rule that makes the files crash-safe.
 *
 * A row is built whole in memory and handed to write(2) once, on a
 * descriptor opened with O_APPEND: a crash or SIGKILL between two writes
 * leaves only whole rows, and a reader tailing the file never sees half a
 * row as long as rows fit in a page.  (Linux may cut a write that spans
 * pages when a fatal signal lands inside the system call; a reader can tell
 * such a last line by its missing newline — rows here are far below a page.) */
#ifndef CSV_ROW_H
#define CSV_ROW_H

#include "../util/strbuf.h"
#include "../util/vm_err.h"

/* A text cell, quoted when it holds , " CR or LF. */
void csv_add_cell(strbuf *sb, const char *s);
/* A number: whole numbers without exponent, others with 17 digits. */
void csv_add_num(strbuf *sb, double v);
/* The same text in a buffer (whole numbers plain, others the shortest of
 * 15..17 significant digits that reads back exactly). */
void csv_fmt_num(char out[40], double v);
/* Open path for appending whole rows after header (one line, with its
 * newline).  A new or empty file gets the header; a file that already
 * starts with it is appended to, so a resumed run keeps every row written
 * before (a last row cut by a crash gets its newline first); a file with
 * another header is refused, naming it, and left as it is. */
int csv_open_append(const char *path, const char *header, int *fd, vm_err *err);
/* Replace path with buf (a sidecar written whole each time). */
int csv_write_file(const char *path, const char *buf, size_t len, vm_err *err);
/* write(2) all of buf; path names the file in the error. */
int csv_write_whole(int fd, const char *buf, size_t len, const char *path, vm_err *err);
/* What closing a CSV writer does (csv_wide, csv_long): close *fd when open,
 * free *path and row; *fd is -1 and *path NULL after. */
void csv_close_parts(int *fd, char **path, strbuf *row);

#endif
