/* rpt_gp: see rpt_gp.h.  gnuplot is run with posix_spawn in the plots
 * folder (so scripts name their files relatively and never need quoting of
 * a user's path); its output goes to NAME.log, kept only when it failed. */
#include "rpt_gp.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum { MAX_POINTS = 4000 }; /* per curve; longer curves keep min and max per bucket */

const char *const rpt_gp_colors[10] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                                       "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};

void rpt_gp_quote(strbuf *sb, const char *s)
{
    sb_addch(sb, '"');
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            sb_addch(sb, '\\');
        if ((unsigned char)*s >= 0x20)
            sb_addch(sb, *s);
    }
    sb_addch(sb, '"');
}

/* Bytes unit for an axis whose largest value is max. */
double rpt_gp_bytes_unit(double max, const char **name)
{
    if (max >= 16.0 * 1024 * 1024 * 1024) {
        *name = "GiB";
        return 1024.0 * 1024 * 1024;
    }
    if (max >= 4.0 * 1024 * 1024) {
        *name = "MiB";
        return 1024.0 * 1024;
    }
    *name = "KiB";
    return 1024.0;
}

void rpt_gp_note(rpt_plot *pl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pl->note, sizeof(pl->note), fmt, ap);
    va_end(ap);
}

int rpt_gp_begin(rpt_gp *p, rpt_plots *out, const char *name, const char *title,
                 const char *caption)
{
    p->pl = &out->p[out->n++];
    memset(p->pl, 0, sizeof(*p->pl));
    snprintf(p->pl->name, sizeof(p->pl->name), "%s", name);
    snprintf(p->pl->title, sizeof(p->pl->title), "%s", title);
    snprintf(p->pl->caption, sizeof(p->pl->caption), "%s", caption);
    sb_reset(&p->gp);
    sb_reset(&p->cmd);
    p->blocks = p->curves = 0;
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/%s.dat", p->dir, name);
    p->dat = fopen(path.buf, "w");
    sb_release(&path);
    if (!p->dat) {
        rpt_gp_note(p->pl, "cannot write %s.dat: %s", name, strerror(errno));
        return -1;
    }
    fprintf(p->dat, "# %s - data for %s.gp (gnuplot); blocks are selected with 'index'\n", title,
            name);
    return 0;
}

int rpt_gp_block(rpt_gp *p, const char *what)
{
    if (p->blocks)
        fprintf(p->dat, "\n\n");
    fprintf(p->dat, "# [%d] %s\n", p->blocks, what);
    return p->blocks++;
}

void rpt_gp_curve(rpt_gp *p, int blk, const char *using_, const char *style, const char *title)
{
    sb_addf(&p->cmd, "%s'%s.dat' index %d using %s %s title ", p->curves ? ", \\\n     " : "plot ",
            p->pl->name, blk, using_, style);
    rpt_gp_quote(&p->cmd, title);
    p->curves++;
}

void rpt_gp_xy(FILE *f, const double *x, const double *y, size_t n)
{
    size_t b = n > MAX_POINTS ? (n + MAX_POINTS / 2 - 1) / (MAX_POINTS / 2) : 1;
    for (size_t i = 0; i < n; i += b) {
        size_t end = i + b < n ? i + b : n, lo = SIZE_MAX, hi = SIZE_MAX;
        for (size_t j = i; j < end; j++) {
            if (isnan(y[j]) || isnan(x[j]))
                continue;
            if (lo == SIZE_MAX || y[j] < y[lo])
                lo = j;
            if (hi == SIZE_MAX || y[j] > y[hi])
                hi = j;
        }
        if (lo == SIZE_MAX)
            continue;
        size_t a = lo < hi ? lo : hi, c = lo < hi ? hi : lo;
        fprintf(f, "%.9g %.9g\n", x[a], y[a]);
        if (c != a)
            fprintf(f, "%.9g %.9g\n", x[c], y[c]);
    }
}

/* The gnuplot script: the common settings, the plot's own, its plot
 * command, then the same again as SVG. */
static void script_text(const rpt_gp *p, strbuf *s)
{
    sb_addf(s, "# %s - written by valkey-memstress report; run: gnuplot %s.gp\n", p->pl->title,
            p->pl->name);
    sb_addstr(s, "set encoding utf8\nset termoption noenhanced\n");
    sb_addf(s,
            "set terminal pngcairo size 1100,520 noenhanced font 'DejaVu Sans,10' "
            "background rgb 'white'\nset output '%s.png'\n",
            p->pl->name);
    sb_addstr(s, "set grid lc rgb '#dddddd'\nset border lc rgb '#555555'\n"
                 "set key below horizontal maxrows 4 font ',9'\nset datafile missing 'NaN'\n");
    sb_addstr(s, "set title ");
    rpt_gp_quote(s, p->pl->title);
    sb_addstr(s, " font ',12'\n");
    sb_add(s, p->gp.buf, p->gp.len);
    sb_add(s, p->cmd.buf, p->cmd.len);
    sb_addf(s,
            "\nset terminal svg size 1100,520 dynamic noenhanced font 'DejaVu Sans,10' "
            "background rgb 'white'\nset output '%s.svg'\nreplot\nunset output\n",
            p->pl->name);
}

/* Write NAME.gp into the plots folder; false (with the plot's note) when
 * it cannot be written. */
static bool write_script(rpt_gp *p)
{
    strbuf s = STRBUF_INIT, path = STRBUF_INIT;
    script_text(p, &s);
    sb_addf(&path, "%s/%s.gp", p->dir, p->pl->name);
    FILE *f = fopen(path.buf, "w");
    bool ok = f && fwrite(s.buf, 1, s.len, f) == s.len;
    if (!ok)
        rpt_gp_note(p->pl, "cannot write %s.gp: %s", p->pl->name, strerror(errno));
    if (f)
        fclose(f);
    sb_release(&s);
    sb_release(&path);
    return ok;
}

/* Start `gnuplot NAME.gp` in the plots folder, its output into NAME.log:
 * 0 with *pid, or posix_spawn's error. */
static int spawn_gnuplot(const rpt_gp *p, const char *gnuplot, pid_t *pid)
{
    char script[64], log[64];
    snprintf(script, sizeof(script), "%s.gp", p->pl->name);
    snprintf(log, sizeof(log), "%s.log", p->pl->name);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addchdir_np(&fa, p->dir);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    char *argv[] = {(char *)gnuplot, script, NULL};
    int rc = strchr(gnuplot, '/') ? posix_spawn(pid, gnuplot, &fa, NULL, argv, environ)
                                  : posix_spawnp(pid, gnuplot, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

/* Whether gnuplot, having exited 0, wrote both images (not empty). */
static bool images_made(const rpt_gp *p)
{
    struct stat st1, st2;
    strbuf png = STRBUF_INIT, svg = STRBUF_INIT;
    sb_addf(&png, "%s/%s.png", p->dir, p->pl->name);
    sb_addf(&svg, "%s/%s.svg", p->dir, p->pl->name);
    bool made =
        stat(png.buf, &st1) == 0 && st1.st_size > 0 && stat(svg.buf, &st2) == 0 && st2.st_size > 0;
    sb_release(&png);
    sb_release(&svg);
    return made;
}

/* Run gnuplot on NAME.gp and tell what came of it; NAME.log is kept only
 * when it failed. */
static void run_gnuplot(rpt_gp *p, const char *gnuplot, rpt_plots *out)
{
    strbuf log = STRBUF_INIT;
    sb_addf(&log, "%s/%s.log", p->dir, p->pl->name);
    pid_t pid;
    int rc = spawn_gnuplot(p, gnuplot, &pid);
    if (rc != 0) {
        if (rc == ENOENT)
            out->gnuplot_missing = true;
        rpt_gp_note(p->pl, "cannot run %s: %s%s", gnuplot, strerror(rc),
                    rc == ENOENT ? " (install gnuplot-nox)" : "");
        unlink(log.buf);
        sb_release(&log);
        return;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    /* a child that cannot exec exits 127 */
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        out->gnuplot_missing = true;
        rpt_gp_note(p->pl, "cannot run %s (install gnuplot-nox)", gnuplot);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        rpt_gp_note(p->pl, "gnuplot failed on %s.gp (see %s.log)", p->pl->name, p->pl->name);
    } else if (images_made(p)) {
        p->pl->made = true;
        out->made++;
        unlink(log.buf);
    } else {
        rpt_gp_note(p->pl, "gnuplot wrote no image for %s.gp", p->pl->name);
    }
    sb_release(&log);
}

void rpt_gp_finish(rpt_gp *p, const char *gnuplot, rpt_plots *out)
{
    fclose(p->dat);
    p->dat = NULL;
    if (!p->curves) {
        if (!p->pl->note[0])
            rpt_gp_note(p->pl, "no data");
        strbuf path = STRBUF_INIT;
        sb_addf(&path, "%s/%s.dat", p->dir, p->pl->name);
        unlink(path.buf);
        sb_release(&path);
        return;
    }
    if (!write_script(p))
        return;
    if (out->gnuplot_missing) {
        rpt_gp_note(p->pl, "gnuplot not found (install gnuplot-nox); %s.gp is ready to run",
                    p->pl->name);
        return;
    }
    run_gnuplot(p, gnuplot, out);
}
