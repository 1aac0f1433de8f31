/*
 * An outside CALCULATE MATH/1.1 server for interoperability tests, written from docs/PROTOCOL.md only:
 * a TCP_FASTOPEN listener (as in the seed's C), one connection at a time, keep-alive honoured, integer
 * + - * / %. It prints "port N" once listening and, per connection, "syn-data acked" or "syn-data none"
 * from TCP_INFO, so a test can see that the request arrived in the SYN.
 *
 *   tfo_peer_server ADDR CONNECTIONS   (port chosen by the kernel; exits after CONNECTIONS connections)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static int header(const char *block, const char *name, char *value, size_t size) {
    const char *p = block;
    size_t len = strlen(name);
    while ((p = strchr(p, '\n')) != NULL) {
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

/* Answers one request held in block; returns 1 to keep the connection, 0 to close. */
static int answer(int fd, const char *block) {
    char a[32], op[8], b[32], conn[32], out[256];
    int keep = header(block, "Connection", conn, sizeof conn) == 0 && strcasecmp(conn, "Keep-Alive") == 0;
    if (strncmp(block, "CALCULATE MATH/1.1", 18) != 0 || header(block, "Operand1", a, sizeof a)
        || header(block, "Operator", op, sizeof op) || header(block, "Operand2", b, sizeof b)) {
        int n = snprintf(out, sizeof out, "MATH/1.1 400 Bad Request\nError: bad request\nConnection: Close\n\n");
        send(fd, out, n, MSG_NOSIGNAL);
        return 0;
    }
    long x = atol(a), y = atol(b), r;
    switch (op[0]) {
    case '+': r = x + y; break;
    case '-': r = x - y; break;
    case '*': r = x * y; break;
    case '/': r = y ? x / y : 0; break;
    default: r = y ? x % y : 0; break;
    }
    int n = snprintf(out, sizeof out, "MATH/1.1 200 OK\nResult: %ld\nConnection: %s\n\n", r,
                     keep ? "Keep-Alive" : "Close");
    send(fd, out, n, MSG_NOSIGNAL);
    return keep;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s ADDR CONNECTIONS\n", argv[0]);
        return 2;
    }
    int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1, qlen = 5;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (setsockopt(lfd, SOL_TCP, TCP_FASTOPEN, &qlen, sizeof qlen) != 0) { perror("TCP_FASTOPEN"); return 1; }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    inet_pton(AF_INET, argv[1], &addr.sin_addr);
    socklen_t len = sizeof addr;
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) || listen(lfd, 16)
        || getsockname(lfd, (struct sockaddr *)&addr, &len)) { perror("listen"); return 1; }
    printf("port %d\n", ntohs(addr.sin_port));
    fflush(stdout);
    for (int c = atoi(argv[2]); c > 0; c--) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) { perror("accept"); return 1; }
        struct tcp_info info;
        socklen_t il = sizeof info;
        getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &il);
        printf("syn-data %s\n", (info.tcpi_options & TCPI_OPT_SYN_DATA) ? "acked" : "none");
        fflush(stdout);
        char buf[4096];
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
                size_t consumed = (end + 2) - buf;
                memmove(buf, end + 2, used - consumed);
                used -= consumed;
                buf[used] = 0;
            }
            if (!keep) break;
        }
        close(fd);
    }
    close(lfd);
    return 0;
}
