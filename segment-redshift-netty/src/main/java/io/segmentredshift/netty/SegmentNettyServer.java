package io.segmentredshift.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.segmentredshift.webhook.WebhookHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP server for a {@link WebhookHandler} on Netty's NIO transport.
 *
 * <pre>{@code
 * try (SegmentNettyServer server = SegmentNettyServer.builder(handler).port(8080).start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} shuts down gracefully: it stops accepting connections, closes idle ones, lets
 * every request under way get its answer (each then closes its connection), and after the
 * {@linkplain Builder#shutdownGrace(Duration) grace period} refuses what is still waiting with 503
 * and {@code Retry-After}, which Segment retries. It does not shut down the handler or its sink.
 */
public final class SegmentNettyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentNettyServer.class);

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final SegmentHttpHandler http;
  private final Duration grace;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Channel server;

  private SegmentNettyServer(Builder b) {
    this.http = new SegmentHttpHandler(b.handler);
    this.grace = b.shutdownGrace;
    this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.workers = new MultiThreadIoEventLoopGroup(b.workerThreads, NioIoHandler.newFactory());
    try {
      this.server =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(NioServerSocketChannel.class)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      channels.add(ch);
                      http.addTo(ch.pipeline());
                    }
                  })
              .bind(new InetSocketAddress(b.bindAddress, b.port))
              .syncUninterruptibly()
              .channel();
    } catch (RuntimeException e) {
      boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    }
    LOG.info("Segment receiver listening on {}", server.localAddress());
  }

  /** A builder of a server for {@code handler}. */
  public static Builder builder(WebhookHandler handler) {
    return new Builder(handler);
  }

  /** The address the server listens on (with the port chosen when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** The port the server listens on. */
  public int port() {
    return address().getPort();
  }

  /** Shuts down gracefully (see the class description); blocks until done. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.close().syncUninterruptibly();
    http.closing();
    channels.forEach(
        ch ->
            onLoop(
                ch,
                (deadline, ctx) -> {
                  if (deadline.idle()) {
                    ctx.close();
                  }
                }));
    long end = System.nanoTime() + grace.toNanos();
    while (!channels.isEmpty() && System.nanoTime() < end) {
      sleep();
    }
    if (!channels.isEmpty()) {
      LOG.warn("Refusing {} connection(s) still waiting after {}", channels.size(), grace);
      channels.forEach(ch -> onLoop(ch, RequestDeadline::refuse));
      channels.newCloseFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    LOG.info("Segment receiver on {} stopped", server.localAddress());
  }

  private static void onLoop(
      Channel ch, java.util.function.BiConsumer<RequestDeadline, ChannelHandlerContext> action) {
    ch.eventLoop()
        .execute(
            () -> {
              ChannelHandlerContext ctx = ch.pipeline().context(RequestDeadline.class);
              if (ctx == null) {
                ch.close();
              } else {
                action.accept((RequestDeadline) ctx.handler(), ctx);
              }
            });
  }

  private static void sleep() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "SegmentNettyServer[" + server.localAddress() + "]";
  }

  /** Configures a {@link SegmentNettyServer}. */
  public static final class Builder {
    private final WebhookHandler handler;
    private String bindAddress = "0.0.0.0";
    private int port = 8080;
    private int workerThreads;
    private Duration shutdownGrace = Duration.ofSeconds(10);

    private Builder(WebhookHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler == null");
    }

    /** The port; 0 picks a free one (see {@link SegmentNettyServer#port()}); default 8080. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** The address to listen on; default {@code 0.0.0.0}, every interface. */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress == null");
      return this;
    }

    /** Event loop threads for connections; default 0, Netty's default (twice the cores). */
    public Builder workerThreads(int workerThreads) {
      if (workerThreads < 0) {
        throw new IllegalArgumentException("workerThreads < 0: " + workerThreads);
      }
      this.workerThreads = workerThreads;
      return this;
    }

    /** How long {@link SegmentNettyServer#close()} waits for answers under way; default 10 s. */
    public Builder shutdownGrace(Duration shutdownGrace) {
      Objects.requireNonNull(shutdownGrace, "shutdownGrace == null");
      if (shutdownGrace.isNegative()) {
        throw new IllegalArgumentException("shutdownGrace < 0: " + shutdownGrace);
      }
      this.shutdownGrace = shutdownGrace;
      return this;
    }

    /** Binds and starts the server. */
    public SegmentNettyServer start() {
      return new SegmentNettyServer(this);
    }
  }
}
