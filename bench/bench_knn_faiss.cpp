// bench_knn_faiss: exact kNN throughput of the ground-truth recomputation
// (src/vecmath/knn.c) against faiss IndexFlatL2 on the same data, the same
// k and the same thread count, measured in the same run.  Prints
//   knn: N base x Q queries x D dims, k=K, T threads: ours S1 s, faiss S2 s, ratio R
// where R = faiss time / our time (goal >= 1.0: at least as fast as faiss).
// C++ only because faiss is; the code under test is the project's C library.
#include <faiss/IndexFlat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <algorithm>
#include <random>
#include <vector>

#include <omp.h>

extern "C" {
#include "dataset/ds_vecfile.h"
#include "vecmath/knn.h"
void openblas_set_num_threads(int);
}

static double now_s()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], nullptr, 10) : 200000;
    size_t nq = argc > 2 ? strtoul(argv[2], nullptr, 10) : 1000;
    int threads = argc > 3 ? atoi(argv[3]) : 2;
    const uint32_t d = 128, k = 100;
    openblas_set_num_threads(threads);
    omp_set_num_threads(threads);
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> u(0, 1);
    std::vector<float> base(n * d), q(nq * d);
    for (auto &x : base)
        x = u(rng);
    for (auto &x : q)
        x = u(rng);
    char path[] = "/tmp/bench-knn-XXXXXX.fbin";
    int fd = mkstemps(path, 5);
    uint32_t hdr[2] = {(uint32_t)n, d};
    if (fd < 0 || write(fd, hdr, 8) != 8 ||
        write(fd, base.data(), base.size() * 4) != (ssize_t)(base.size() * 4)) {
        perror("bench data");
        return 1;
    }
    close(fd);
    ds_vecfile f;
    vm_err err = {};
    if (ds_vecfile_open(&f, path, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    // warm both (page cache, BLAS buffers), then time the best of 3
    knn_result r;
    double ours = 1e9, theirs = 1e9;
    faiss::IndexFlatL2 index(d);
    index.add(n, base.data());
    std::vector<float> fd2(nq * k);
    std::vector<faiss::Index::idx_t> fl(nq * k);
    for (int rep = 0; rep < 4; rep++) {
        double t0 = now_s();
        if (knn_search(&f, nullptr, q.data(), (uint32_t)nq, k, &r, &err) < 0) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        double t1 = now_s();
        index.search(nq, q.data(), k, fd2.data(), fl.data());
        double t2 = now_s();
        if (rep) {
            ours = std::min(ours, t1 - t0);
            theirs = std::min(theirs, t2 - t1);
        }
        // the same answer (up to float ties at the boundary)
        size_t same = 0;
        for (size_t i = 0; i < nq * k; i++)
            same += r.ids[i] == fl[i];
        if (same < nq * k * 99 / 100) {
            fprintf(stderr, "answers differ: %zu of %zu ids equal\n", same, nq * k);
            return 1;
        }
        knn_result_free(&r);
    }
    ds_vecfile_close(&f);
    unlink(path);
    printf("knn: %zu base x %zu queries x %u dims, k=%u, %d threads: ours %.3f s, faiss %.3f s, "
           "ratio %.2f (faiss time / ours; goal >= 1.0)\n",
           n, nq, d, k, threads, ours, theirs, theirs / ours);
    return 0;
}
