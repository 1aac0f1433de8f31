/*
 * tfo-bench minimal C floor: only the seed's calls, so a run can say what the work itself costs (calib.c, beside it,
 * makes the Java client's calls and says how much of a number is the JVM; this says how much is the harness).
 * Built and run by the jar's launcher in the same namespace, with the same placement, in the same run
 * (tfobench.calibration.CCalibration).
 *
 *   floor server ADDR TFO_QUEUE CPU
 *       socket, setsockopt(TCP_FASTOPEN) when TFO_QUEUE > 0, bind, listen; prints "port N"; then one thread:
 *       accept, recv until the request's empty line, send the answer, until the client closes; close; accept...
 *       The answer to the seed's request is written once at start; any other request gets 400 and a close.
 *   floor client SCENARIO ADDR PORT WARMUP_S MEASURE_S CPU
 *       SCENARIO: cold       socket, connect, send, recv..., close
 *                 tfo        socket, sendto(MSG_FASTOPEN), recv..., close
 *                 keepalive  send, recv... on one connection
 *       each operation timed from socket to close (keepalive: send to the response's last byte); prints one JSON
 *       object: count, mean and percentiles in microseconds, and the client's CPU time per operation.
 * CPU -1 = not pinned. No socket options, no TCP_INFO, no timeouts: a stuck peer hangs this client, which is why
 * the benchmarks' clients are not this.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif

static const char REQUEST[] =
    "CALCULATE MATH/1.1\nOperand1: 1\nOperator: +\nOperand2: 1\nConnection: Keep-Alive\n\n";
static const char ANSWER[] = "MATH/1.1 200 OK\nResult: 2\nConnection: Keep-Alive\n\n";
static const char BAD[] = "MATH/1.1 400 Bad Request\nError: not the seed's request\nConnection: Close\n\n";

static void die(const char *what) {
    fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void pin(int cpu) {
    if (cpu < 0) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) die("sched_setaffinity");
}

static long long clock_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---------- server: one thread, accept loop ---------- */

/* Serves one connection until the client closes it or sends something other than the seed's request. */
static void serve(int fd) {
    char buf[4096];
    size_t used = 0;
    for (;;) {
        ssize_t n = recv(fd, buf + used, sizeof buf - used, 0);
        if (n <= 0) return;
        used += n;
        while (used >= sizeof REQUEST - 1) {
            if (memcmp(buf, REQUEST, sizeof REQUEST - 1) != 0) {
                send(fd, BAD, sizeof BAD - 1, MSG_NOSIGNAL);
                return;
            }
            send(fd, ANSWER, sizeof ANSWER - 1, MSG_NOSIGNAL);
            used -= sizeof REQUEST - 1;
            memmove(buf, buf + sizeof REQUEST - 1, used);
        }
        if (used == sizeof buf) return;
    }
}

__attribute__((noreturn)) static void run_server(const char *addr_text, int queue, int cpu) {
    pin(cpu);
    int listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd < 0) die("socket");
    if (queue > 0 && setsockopt(listen_fd, IPPROTO_TCP, TCP_FASTOPEN, &queue, sizeof queue) != 0)
        die("setsockopt TCP_FASTOPEN");
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    if (inet_pton(AF_INET, addr_text, &addr.sin_addr) != 1) die("address");
    socklen_t len = sizeof addr;
    if (bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) || listen(listen_fd, 4096)
        || getsockname(listen_fd, (struct sockaddr *)&addr, &len))
        die("listen");
    printf("port %d\n", ntohs(addr.sin_port));
    fflush(stdout);
    for (;;) {
        int fd = accept(listen_fd, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            die("accept");
        }
        serve(fd);
        close(fd);
    }
}

/* ---------- client ---------- */

static struct sockaddr_in target;

static void read_answer(int fd) {
    char buf[512];
    size_t used = 0;
    while (used < sizeof ANSWER - 1) {
        ssize_t n = recv(fd, buf + used, sizeof buf - used, 0);
        if (n <= 0) die("recv");
        used += n;
    }
    if (used != sizeof ANSWER - 1 || memcmp(buf, ANSWER, used) != 0) {
        fprintf(stderr, "floor: wrong answer: %.*s\n", (int)used, buf);
        exit(1);
    }
}

static void operation(int scenario, int *kept) {
    if (scenario == 'k') {
        if (*kept < 0) {
            *kept = socket(AF_INET, SOCK_STREAM, 0);
            if (*kept < 0 || connect(*kept, (struct sockaddr *)&target, sizeof target)) die("connect");
        }
        if (send(*kept, REQUEST, sizeof REQUEST - 1, MSG_NOSIGNAL) != sizeof REQUEST - 1) die("send");
        read_answer(*kept);
        return;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    if (scenario == 't') {
        if (sendto(fd, REQUEST, sizeof REQUEST - 1, MSG_FASTOPEN | MSG_NOSIGNAL, (struct sockaddr *)&target,
                   sizeof target) != sizeof REQUEST - 1)
            die("sendto");
    } else {
        if (connect(fd, (struct sockaddr *)&target, sizeof target)) die("connect");
        if (send(fd, REQUEST, sizeof REQUEST - 1, MSG_NOSIGNAL) != sizeof REQUEST - 1) die("send");
    }
    read_answer(fd);
    close(fd);
}

static int compare(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static double percentile(long long *sorted, long n, double p) {
    long i = (long)(p / 100.0 * (n - 1) + 0.5);
    return sorted[i] / 1000.0;
}

static int run_client(const char *scenario, const char *addr_text, int port, double warmup, double measure,
                      int cpu) {
    int kind = strcmp(scenario, "cold") == 0 ? 'c' : strcmp(scenario, "tfo") == 0 ? 't'
             : strcmp(scenario, "keepalive") == 0 ? 'k' : 0;
    if (!kind) {
        fprintf(stderr, "floor: unknown scenario %s (cold, tfo, keepalive)\n", scenario);
        return 2;
    }
    pin(cpu);
    target.sin_family = AF_INET;
    target.sin_port = htons(port);
    if (inet_pton(AF_INET, addr_text, &target.sin_addr) != 1) die("address");
    int kept = -1;
    long warm = 0;
    long long end = clock_ns(CLOCK_MONOTONIC) + (long long)(warmup * 1e9);
    operation(kind, &kept); /* a cookie for tfo */
    warm++;
    while (clock_ns(CLOCK_MONOTONIC) < end) {
        operation(kind, &kept);
        warm++;
    }
    long capacity = 1 << 22, n = 0;
    long long *samples = malloc(capacity * sizeof *samples), sum = 0;
    if (!samples) die("malloc");
    long long cpu_start = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    end = clock_ns(CLOCK_MONOTONIC) + (long long)(measure * 1e9);
    for (long long start = clock_ns(CLOCK_MONOTONIC); start < end && n < capacity;
         start = clock_ns(CLOCK_MONOTONIC)) {
        operation(kind, &kept);
        long long took = clock_ns(CLOCK_MONOTONIC) - start;
        samples[n++] = took;
        sum += took;
    }
    long long cpu_used = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
    qsort(samples, n, sizeof *samples, compare);
    printf("{\"scenario\": \"%s\", \"count\": %ld, \"allOperations\": %ld, \"meanMicros\": %.3f, "
           "\"p50Micros\": %.3f, \"p90Micros\": %.3f, \"p99Micros\": %.3f, \"p999Micros\": %.3f, "
           "\"maxMicros\": %.3f, \"clientCpuMicrosPerOp\": %.3f}\n",
           scenario, n, n + warm, sum / 1000.0 / n, percentile(samples, n, 50), percentile(samples, n, 90),
           percentile(samples, n, 99), percentile(samples, n, 99.9), samples[n - 1] / 1000.0,
           cpu_used / 1000.0 / n);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "server") == 0) run_server(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (argc == 8 && strcmp(argv[1], "client") == 0)
        return run_client(argv[2], argv[3], atoi(argv[4]), atof(argv[5]), atof(argv[6]), atoi(argv[7]));
    fprintf(stderr, "usage: floor server ADDR TFO_QUEUE CPU | "
                    "floor client cold|tfo|keepalive ADDR PORT WARMUP_S MEASURE_S CPU\n");
    return 2;
}
