/* vm_map: a file mapped whole, an empty file, and the errors it words. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/vm_map.h"

static void temp_file(char *path, const char *text)
{
    strcpy(path, "/tmp/vm_map_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static void maps_the_whole_file(void **state)
{
    (void)state;
    char path[32];
    temp_file(path, "hello, map");
    vm_map m;
    vm_err err = {0};
    assert_int_equal(vm_map_file(path, &m, &err), 0);
    unlink(path); /* the mapping keeps the file */
    assert_int_equal(m.size, 10);
    assert_memory_equal(m.data, "hello, map", 10);
    vm_unmap(&m);
    assert_null(m.data);
    assert_int_equal(m.size, 0);
    vm_unmap(&m); /* twice is harmless */
}

static void empty_file_maps_to_nothing(void **state)
{
    (void)state;
    char path[32];
    temp_file(path, "");
    vm_map m = {(const uint8_t *)"x", 1};
    vm_err err = {0};
    assert_int_equal(vm_map_file(path, &m, &err), 0);
    unlink(path);
    assert_null(m.data);
    assert_int_equal(m.size, 0);
    vm_unmap(&m);
}

static void errors_name_the_path(void **state)
{
    (void)state;
    vm_map m;
    vm_err err = {0};
    assert_int_equal(vm_map_file("/nonexistent/x.fbin", &m, &err), -1);
    assert_int_equal(err.code, VM_EINPUT);
    assert_string_equal(err.msg, "/nonexistent/x.fbin: No such file or directory");
    assert_null(m.data);
    assert_int_equal(vm_map_file("/tmp", &m, &err), -1);
    assert_string_equal(err.msg, "/tmp: not a regular file");
}

static void maps_an_open_fd(void **state)
{
    (void)state;
    char path[32];
    temp_file(path, "0123456789");
    int fd = open(path, O_RDONLY);
    unlink(path);
    vm_map m;
    assert_int_equal(vm_map_fd(fd, 4, &m), 0);
    assert_memory_equal(m.data, "0123", 4);
    vm_unmap(&m);
    assert_int_equal(vm_map_fd(-1, 4, &m), -1); /* mmap's errno */
    assert_null(m.data);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(maps_the_whole_file),
        cmocka_unit_test(empty_file_maps_to_nothing),
        cmocka_unit_test(errors_name_the_path),
        cmocka_unit_test(maps_an_open_fd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
