# Reads `tcpdump -r FILE -nn -tt -S` and counts, connection by connection (a connection starts with the
# client's SYN; the server is the side whose port is server_port):
#
#   connections                captured connections
#   data_before_synack         the server's first data segment was captured before its SYN-ACK. On lo libpcap
#                              keeps only the received copy of each packet, on veth the capture runs on the
#                              client's interface: either way the order is the one in which the receiving CPUs
#                              took the packets off their backlogs (__netif_receive_skb_core), not yet the
#                              order in which they reached the socket, so this undercounts the race
#   data_retransmitted         the server sent its data segment (same sequence number) more than once: on a
#                              link that loses nothing the client discarded the first copy
#   stalled                    a gap of more than stall_ms milliseconds between two packets of the connection
#   stalled_data_retransmitted stalled connections whose data was retransmitted
#
# Prints those five numbers on one line; writes up to five affected connections' packets to `examples`.
# Usage: tcpdump -r capture.pcap -nn -tt -S | awk -v server_port=N -v stall_ms=100 -v examples=FILE -f capture.awk

function finish(k) {
    if (!(k in syn)) return
    connections++
    if (early[k]) data_before_synack++
    if (retr[k]) data_retransmitted++
    if (stalled[k]) { stalled_connections++; if (retr[k]) stalled_retransmitted++ }
    if ((retr[k] || early[k]) && shown < 5 && examples != "") { shown++; printf "---\n%s", lines[k] > examples }
    delete syn[k]; delete early[k]; delete retr[k]; delete stalled[k]; delete lines[k]; delete last[k]
    delete synack[k]; delete data_seq[k]
}

{
    t = $1; src = $3; dst = $5; sub(/:$/, "", dst)
    flags = ""; len = 0; seq = ""
    for (i = 6; i <= NF; i++) {
        if ($i == "Flags") flags = $(i + 1)
        else if ($i == "seq") { seq = $(i + 1); sub(/,$/, "", seq) }
        else if ($i == "length") len = $(i + 1) + 0
    }
    from_server = (src ~ ("\\." server_port "$"))
    k = from_server ? dst : src
    if (!from_server && flags == "[S],") { finish(k); syn[k] = 1 }
    if (!(k in syn)) next
    if ((k in last) && (t - last[k]) * 1000 > stall_ms) stalled[k] = 1
    last[k] = t
    if (length(lines[k]) < 4000) lines[k] = lines[k] $0 "\n"
    if (!from_server) next
    if (flags ~ /S/) synack[k] = 1
    else if (len > 0) {
        if (!synack[k]) early[k] = 1
        if (k in data_seq) { if (data_seq[k] == seq) retr[k] = 1 }
        else data_seq[k] = seq
    }
}

END {
    for (k in syn) finish(k)
    printf "%d %d %d %d %d\n", connections, data_before_synack, data_retransmitted, stalled_connections,
           stalled_retransmitted
}
