package tfobench.client;

import tfobench.Transport;
import tfobench.protocol.ProtocolException;
import tfobench.protocol.Request;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A client of one server with one handshake. For every handshake but {@link Handshake#KEEPALIVE} an exchange is
 * a whole connection: open (as the handshake says), send the request, read the complete response, read the
 * evidence, close. A keep-alive client opens once and reuses the connection while the server allows.
 * Not thread-safe: one client per thread.
 */
public interface CalcClient extends AutoCloseable {

    Transport transport();

    Handshake handshake();

    InetSocketAddress server();

    /**
     * Points the connections this client opens from now on at another address of the same server (one that
     * listens on the wildcard address, e.g. to reach it at a loopback address it was never reached at before). A
     * kept-alive connection already open stays where it is.
     */
    void retarget(InetSocketAddress server);

    /**
     * Sends one request and returns its response and evidence; the returned object belongs to this client and
     * is overwritten by its next exchange.
     *
     * @throws IOException       connection failed (the message names the call and errno), or timed out
     * @throws ProtocolException the server's answer was not a valid response
     */
    Exchange exchange(Request request) throws IOException, ProtocolException;

    /**
     * The threads this client does its work on besides the caller's (Netty's event loop), for their CPU clocks; empty
     * when all of it happens on the caller's thread.
     */
    List<Thread> threads();

    /** Closes a kept-alive connection and releases everything the client holds. */
    @Override
    void close();
}
