/* shared_data: open a file of ../shared/datasets (or $VM_DATASETS) in a
 * test's setup; the group fails, naming the file, when it cannot. */
#ifndef SHARED_DATA_H
#define SHARED_DATA_H

#include <stdio.h>
#include <stdlib.h>

#include "dataset/ds_vecfile.h"

static inline void open_shared_vecfile(ds_vecfile *f, const char *rel)
{
    const char *d = getenv("VM_DATASETS");
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", d ? d : "../shared/datasets", rel);
    vm_err err = {0};
    if (ds_vecfile_open(f, path, &err) < 0)
        fail_msg("%s", err.msg);
}

/* A test group on siftsmall's base vectors: g_base, opened by the group
 * setup open_base and closed by the teardown close_base. */
#define SHARED_SIFTSMALL_BASE                                                                      \
    static ds_vecfile g_base;                                                                      \
    static int open_base(void **state)                                                             \
    {                                                                                              \
        (void)state;                                                                               \
        open_shared_vecfile(&g_base, "siftsmall/siftsmall_base.fvecs");                            \
        return 0;                                                                                  \
    }                                                                                              \
    static int close_base(void **state)                                                            \
    {                                                                                              \
        (void)state;                                                                               \
        ds_vecfile_close(&g_base);                                                                 \
        return 0;                                                                                  \
    }

#endif
