# Reads a tracefs trace (trace option "fields" on) of the events net:netif_rx, net:netif_receive_skb,
# skb:kfree_skb (reason TCP_FLAGS), sock:inet_sock_set_state, and prints, for every segment a client dropped
# in SYN-SENT, where that segment and the SYN-ACK of its connection were queued and delivered:
#
#   netif_rx           the sending CPU queues the packet on a receive backlog (loopback_xmit, veth_xmit)
#   netif_receive_skb  a CPU takes it off its backlog and hands it to the stack (__netif_receive_skb_core)
#   kfree_skb          the client drops it: location tcp_rcv_state_process, reason TCP_FLAGS (RFC 793: in
#                      SYN-SENT a segment without SYN or RST is dropped)
#
# The connection is found through the client socket (kfree_skb's rx_sk) entering ESTABLISHED, which names the
# client port; the server's child socket entering SYN_RECV with that port marks the moment the SYN was taken
# (tcp_conn_request), and the next packet that CPU queues is the SYN-ACK (send_synack).
#
# Output: one line per drop, then a summary line starting with "summary"; with -v context=FILE also the 100 trace
# lines before each drop into FILE.
# Usage: awk -v server_port=N [-v context=FILE] -f trace-drops.awk trace.txt

function dec(name,    m) {
    if (match(rest, name "=[^ ]+ \\(-?[0-9]+\\)")) {
        m = substr(rest, RSTART, RLENGTH)
        sub(/.*\(/, "", m); sub(/\)/, "", m)
        return m + 0
    }
    if (match(rest, name "=[0-9]+")) { m = substr(rest, RSTART, RLENGTH); sub(/.*=/, "", m); return m + 0 }
    return -1
}
function hex(name,    m) {
    if (!match(rest, name "=[^ ]+")) return ""
    m = substr(rest, RSTART, RLENGTH); sub(/.*=/, "", m)
    return m
}
function us(a, b) { return sprintf("%+.1f", (a - b) * 1e6) }

{
    if (context != "") { ring[NR % 100] = $0 }
    if (!match($0, /\[[0-9]+\] [^ ]+ +[0-9]+\.[0-9]+: [a-z_0-9]+: /)) next
    head = substr($0, RSTART, RLENGTH); rest = substr($0, RSTART + RLENGTH)
    split(head, h, " ")
    cpu = substr(h[1], 2, length(h[1]) - 2) + 0; flags = h[2]
    t = h[3]; sub(/:$/, "", t); t += 0
    ev = h[4]; sub(/:$/, "", ev)
    ctx = substr(flags, 3, 1) == "s" ? "softirq" : "process"
}

ev == "netif_rx" {
    skb = hex("skbaddr")
    q_cpu[skb] = cpu; q_t[skb] = t; d_t[skb] = ""
    if (cpu in pending) {               # the first packet queued after a SYN was taken on this CPU: its SYN-ACK
        c = pending[cpu]; delete pending[cpu]
        sa_skb[c] = skb; sa_q_cpu[c] = cpu; sa_q_t[c] = t; owner[skb] = c
    }
    next
}
ev == "netif_receive_skb" {
    skb = hex("skbaddr")
    d_cpu[skb] = cpu; d_t[skb] = t
    if ((skb in owner) && sa_d_t[owner[skb]] == "") {
        c = owner[skb]; sa_d_cpu[c] = cpu; sa_d_t[c] = t; delete owner[skb]
        wait_us = int((t - sa_q_t[c]) * 1e6 + 0.5); synack_wait[wait_us]++; synacks++     # queued -> delivered
    }
    next
}
ev == "inet_sock_set_state" {
    old = dec("oldstate"); new = dec("newstate"); sport = dec("sport"); dport = dec("dport")
    if (old == 10 && new == 3 && sport == server_port) {      # LISTEN -> SYN_RECV: the fast open child
        c = dport
        child_t[c] = t; child_cpu[c] = cpu; pending[cpu] = c
        sa_skb[c] = ""; sa_d_t[c] = ""
    }
    if (old == 2 && new == 1 && dport == server_port) {       # client SYN_SENT -> ESTABLISHED: SYN-ACK taken
        sk = hex("skaddr")
        if (sk in drop_t) report(sk, sport, t, cpu, ctx)
    }
    next
}
ev == "kfree_skb" {
    loc = rest; sub(/.*location=/, "", loc); sub(/ .*/, "", loc)
    if (loc !~ /^tcp_rcv_state_process/) { other_drops[loc]++; next }
    sk = hex("rx_sk"); skb = hex("skbaddr")
    drop_t[sk] = t; drop_cpu[sk] = cpu; drop_ctx[sk] = ctx
    if (context != "") {                # the 100 trace lines up to the drop, for reading the timeline by eye
        printf "=== the 100 trace lines up to the drop of skb %s\n", skb > context
        for (i = NR - 99; i <= NR; i++) if (i > 0) print ring[i % 100] > context
    }
    dq_cpu[sk] = q_cpu[skb]; dq_t[sk] = q_t[skb]; dd_cpu[sk] = d_cpu[skb]; dd_t[sk] = d_t[skb]
    next
}

function report(sk, c, est_t, est_cpu, est_ctx,    base) {
    drops++
    base = (c in child_t) ? child_t[c] : drop_t[sk]
    line = sprintf("client port %d: SYN taken on CPU %s; SYN-ACK queued on CPU %s at %s us, delivered on CPU %s at %s us; " \
                   "data queued on CPU %s at %s us, delivered on CPU %s at %s us; dropped on CPU %d in %s context at %s us; " \
                   "client ESTABLISHED at %s us (times from the SYN)",
                   c, (c in child_t) ? child_cpu[c] : "?",
                   sa_q_cpu[c] == "" ? "?" : sa_q_cpu[c], sa_q_t[c] == "" ? "?" : us(sa_q_t[c], base),
                   sa_d_t[c] == "" ? "?" : sa_d_cpu[c], sa_d_t[c] == "" ? "?" : us(sa_d_t[c], base),
                   dq_cpu[sk] == "" ? "?" : dq_cpu[sk], dq_t[sk] == "" ? "?" : us(dq_t[sk], base),
                   dd_cpu[sk] == "" ? "?" : dd_cpu[sk], dd_t[sk] == "" ? "?" : us(dd_t[sk], base),
                   drop_cpu[sk], drop_ctx[sk], us(drop_t[sk], base), us(est_t, base))
    print line
    if (sa_q_cpu[c] != "" && dq_cpu[sk] != "" && sa_q_cpu[c] != dq_cpu[sk]) other_cpu++
    if (sa_q_t[c] != "" && dq_t[sk] != "" && sa_q_t[c] < dq_t[sk]) synack_queued_first++
    if (sa_d_t[c] == "" || (dd_t[sk] != "" && dd_t[sk] < sa_d_t[c])) data_delivered_first++
    if (drop_ctx[sk] == "process") in_backlog++
    delete drop_t[sk]
}

function percentile(p,    need, seen, w) {
    need = p / 100 * synacks; seen = 0
    for (w = 0; w <= max_wait; w++) { seen += synack_wait[w]; if (seen >= need) return w }
    return max_wait
}

END {
    max_wait = 0
    for (w in synack_wait) if (w + 0 > max_wait) max_wait = w + 0
    if (synacks > 0)
        printf "synack_wait_us (queued on its backlog -> taken off it, every fast open SYN-ACK of the trace): n=%d " \
               "p50=%d p90=%d p99=%d p99.9=%d max=%d\n", synacks, percentile(50), percentile(90), percentile(99),
               percentile(99.9), max_wait
    others = ""
    for (l in other_drops) others = others sprintf(" %s:%d", l, other_drops[l])
    printf "summary drops_in_syn_sent=%d synack_queued_first=%d data_queued_on_other_cpu=%d " \
           "data_delivered_before_synack=%d dropped_from_socket_backlog=%d other_tcp_flags_drops=%s\n",
           drops, synack_queued_first, other_cpu, data_delivered_first, in_backlog, others == "" ? "none" : substr(others, 2)
}
