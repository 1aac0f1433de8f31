/*
 * tfo-bench C calibration peer: the Java native transport's system calls, call for call, without a JVM, so a
 * run can say how much of its numbers is Java. Built and run by the jar's launcher in the same namespace, with
 * the same placement, in the same run (tfobench.calibration.CCalibration).
 *
 *   calib server ADDR TFO_QUEUE CPU THREADS
 *       listens on ADDR, port chosen by the kernel (TFO_QUEUE > 0: TCP_FASTOPEN), prints "port N",
 *       THREADS threads block in accept() on the one listener (as NativeServer does) and serve each
 *       connection until it closes: read until the empty line, parse the three headers, compute, answer.
 *   calib client SCENARIO ADDR PORT WARMUP_S MEASURE_S CPU
 *       SCENARIO: cold    socket, TCP_NODELAY, SO_RCVTIMEO, SO_SNDTIMEO, connect, send, recv..., TCP_INFO, close
 *                 tfo     socket, the same options, sendto(MSG_FASTOPEN), recv..., TCP_INFO, close
 *                 tfo-connect  socket, the same options, TCP_FASTOPEN_CONNECT, connect, send, recv..., TCP_INFO, close
 *                 keepalive  send, recv..., TCP_INFO on one connection
 *                 tcpinfo    getsockopt(TCP_INFO) alone on an open connection (the cost of the evidence)
 *       prints one JSON object: count, mean and percentiles in microseconds, share of SYN data acked, the
 *       client's CPU time per measured operation, and all operations made (warm-up included).
 * CPU -1 = not pinned.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif

static const char REQUEST[] =
    "CALCULATE MATH/1.1\nOperand1: 1\nOperator: +\nOperand2: 1\nConnection: Keep-Alive\n\n";
static const char EXPECTED[] = "MATH/1.1 200 OK\nResult: 2\nConnection: Keep-Alive\n\n";

static void die(const char *what) {
    fprintf(stderr, "calib: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void pin(int cpu) {
    if (cpu < 0) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) die("sched_setaffinity");
}

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---------- server ---------- */

static int listen_fd;
static int server_cpu;

static int header(const char *block, const char *name, char *value, size_t size) {
    size_t len = strlen(name);
    for (const char *p = strchr(block, '\n'); p != NULL; p = strchr(p, '\n')) {
        p++;
        if (strncasecmp(p, name, len) == 0 && p[len] == ':') {
            p += len + 1;
            while (*p == ' ' || *p == '\t') p++;
            size_t n = strcspn(p, "\r\n");
            if (n >= size) return -1;
            memcpy(value, p, n);
            value[n] = 0;
            return 0;
        }
    }
    return -1;
}

/* Answers one request; returns 1 to keep the connection. */
static int answer(int fd, const char *block) {
    char a[32], op[8], b[32], conn[32], out[160];
    int keep = header(block, "Connection", conn, sizeof conn) == 0 && strcasecmp(conn, "Keep-Alive") == 0;
    int n;
    if (strncmp(block, "CALCULATE MATH/1.1", 18) != 0 || header(block, "Operand1", a, sizeof a)
        || header(block, "Operator", op, sizeof op) || header(block, "Operand2", b, sizeof b)) {
        n = snprintf(out, sizeof out, "MATH/1.1 400 Bad Request\nError: bad request\nConnection: Close\n\n");
        keep = 0;
    } else {
        long long x = atoll(a), y = atoll(b), r = 0;
        switch (op[0]) {
        case '+': r = x + y; break;
        case '-': r = x - y; break;
        case '*': r = x * y; break;
        case '/': r = y ? x / y : 0; break;
        default: r = y ? x % y : 0; break;
        }
        n = snprintf(out, sizeof out, "MATH/1.1 200 OK\nResult: %lld\nConnection: %s\n\n", r,
                     keep ? "Keep-Alive" : "Close");
    }
    send(fd, out, n, MSG_NOSIGNAL);
    return keep;
}

static void *serve(void *unused) {
    (void)unused;
    pin(server_cpu);
    char buf[4096];
    for (;;) {
        int fd = accept(listen_fd, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN) continue;
            return NULL;
        }
        size_t used = 0;
        for (;;) {
            ssize_t n = recv(fd, buf + used, sizeof buf - 1 - used, 0);
            if (n <= 0) break;
            used += n;
            buf[used] = 0;
            char *end;
            int keep = 1;
            while (keep && (end = strstr(buf, "\n\n")) != NULL) {
                end[1] = 0;
                keep = answer(fd, buf);
                size_t consumed = (size_t)(end + 2 - buf);
                memmove(buf, end + 2, used - consumed);
                used -= consumed;
                buf[used] = 0;
            }
            if (!keep || used == sizeof buf - 1) break;
        }
        close(fd);
    }
}

static int run_server(const char *addr_text, int queue, int cpu, int threads) {
    server_cpu = cpu;
    pin(cpu);
    listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    struct timeval idle = {.tv_sec = 10, .tv_usec = 0};
    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    /* as NativeServer: set on the listener, inherited by every accepted socket. NativeServer's timeouts are
     * shorter (a worker hands a connection that keeps it waiting to its poller, which this peer has not got);
     * on the measured path neither ever expires, so the calls made are the same. */
    setsockopt(listen_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(listen_fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
    setsockopt(listen_fd, SOL_SOCKET, SO_SNDTIMEO, &idle, sizeof idle);
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
    pthread_t t;
    for (int i = 1; i < threads; i++) pthread_create(&t, NULL, serve, NULL);
    serve(NULL);
    return 0;
}

/* ---------- client ---------- */

static struct sockaddr_in target;

static int new_socket(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    struct timeval timeout = {.tv_sec = 5, .tv_usec = 0};
    if (fd < 0) die("socket");
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    return fd;
}

static void read_response(int fd) {
    char buf[512];
    size_t used = 0;
    for (;;) {
        ssize_t n = recv(fd, buf + used, sizeof buf - 1 - used, 0);
        if (n <= 0) die("recv");
        used += n;
        buf[used] = 0;
        if (used >= sizeof EXPECTED - 1) break;
    }
    if (strcmp(buf, EXPECTED) != 0) {
        fprintf(stderr, "calib: wrong answer: %s\n", buf);
        exit(1);
    }
}

/* One operation; returns 1 if the SYN data was acked. */
static int operation(const char *scenario, int *kept) {
    struct tcp_info info;
    socklen_t il = sizeof info;
    if (strcmp(scenario, "tcpinfo") == 0) {
        if (*kept < 0) {
            *kept = new_socket();
            if (connect(*kept, (struct sockaddr *)&target, sizeof target)) die("connect");
        }
        getsockopt(*kept, IPPROTO_TCP, TCP_INFO, &info, &il);
        return 0;
    }
    if (strcmp(scenario, "keepalive") == 0) {
        if (*kept < 0) {
            *kept = new_socket();
            if (connect(*kept, (struct sockaddr *)&target, sizeof target)) die("connect");
        }
        if (send(*kept, REQUEST, sizeof REQUEST - 1, MSG_NOSIGNAL) != sizeof REQUEST - 1) die("send");
        read_response(*kept);
        getsockopt(*kept, IPPROTO_TCP, TCP_INFO, &info, &il);
        return 0;
    }
    int fd = new_socket();
    if (strcmp(scenario, "tfo-connect") == 0) {
        int one = 1;
        if (setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one, sizeof one)) die("TCP_FASTOPEN_CONNECT");
        if (connect(fd, (struct sockaddr *)&target, sizeof target)) die("connect");
        if (send(fd, REQUEST, sizeof REQUEST - 1, MSG_NOSIGNAL) != sizeof REQUEST - 1) die("send");
    } else if (strcmp(scenario, "tfo") == 0) {
        if (sendto(fd, REQUEST, sizeof REQUEST - 1, MSG_FASTOPEN | MSG_NOSIGNAL, (struct sockaddr *)&target,
                   sizeof target) != sizeof REQUEST - 1)
            die("sendto");
    } else {
        if (connect(fd, (struct sockaddr *)&target, sizeof target)) die("connect");
        if (send(fd, REQUEST, sizeof REQUEST - 1, MSG_NOSIGNAL) != sizeof REQUEST - 1) die("send");
    }
    read_response(fd);
    getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &il);
    close(fd);
    return (info.tcpi_options & TCPI_OPT_SYN_DATA) != 0;
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
    pin(cpu);
    target.sin_family = AF_INET;
    target.sin_port = htons(port);
    if (inet_pton(AF_INET, addr_text, &target.sin_addr) != 1) die("address");
    int kept = -1;
    long warm = 1;
    long long end = now_ns() + (long long)(warmup * 1e9);
    operation(scenario, &kept); /* a cookie for tfo */
    for (; now_ns() < end; warm++) operation(scenario, &kept);
    long capacity = 1 << 22, n = 0, acked = 0;
    long long *samples = malloc(capacity * sizeof *samples), sum = 0;
    if (!samples) die("malloc");
    struct timespec cpu0, cpu1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu0);
    end = now_ns() + (long long)(measure * 1e9);
    for (long long start = now_ns(); start < end && n < capacity; start = now_ns()) {
        acked += operation(scenario, &kept);
        long long took = now_ns() - start;
        samples[n++] = took;
        sum += took;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu1);
    double cpu_ns = (cpu1.tv_sec - cpu0.tv_sec) * 1e9 + (cpu1.tv_nsec - cpu0.tv_nsec);
    qsort(samples, n, sizeof *samples, compare);
    printf("{\"scenario\": \"%s\", \"count\": %ld, \"allOperations\": %ld, \"meanMicros\": %.3f, "
           "\"p50Micros\": %.3f, \"p90Micros\": %.3f, \"p99Micros\": %.3f, \"p999Micros\": %.3f, "
           "\"maxMicros\": %.3f, \"synDataAcked\": %.4f, \"clientCpuMicrosPerOp\": %.3f}\n",
           scenario, n, n + warm, sum / 1000.0 / n, percentile(samples, n, 50), percentile(samples, n, 90),
           percentile(samples, n, 99), percentile(samples, n, 99.9), samples[n - 1] / 1000.0, (double)acked / n,
           cpu_ns / 1000.0 / n);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 6 && strcmp(argv[1], "server") == 0)
        return run_server(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
    if (argc == 8 && strcmp(argv[1], "client") == 0)
        return run_client(argv[2], argv[3], atoi(argv[4]), atof(argv[5]), atof(argv[6]), atoi(argv[7]));
    fprintf(stderr, "usage: calib server ADDR TFO_QUEUE CPU THREADS | "
                    "calib client cold|tfo|tfo-connect|keepalive|tcpinfo ADDR PORT WARMUP_S MEASURE_S CPU\n");
    return 2;
}
