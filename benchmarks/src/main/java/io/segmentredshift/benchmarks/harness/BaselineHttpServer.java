package io.segmentredshift.benchmarks.harness;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ingest baselines: a Netty 4.2 HTTP server that answers every request with 200 {@code
 * {"ok":true}} over keep-alive and does nothing else ({@link Mode#NOOP}, the ceiling any adapter is
 * compared with), or first appends the body to a file and fsyncs it, one request at a time on one
 * writer thread ({@link Mode#FSYNC_EACH}, the naive durable design a spool with group commit must
 * beat).
 *
 * <p>The pipeline is the one of the measured reference: {@code HttpServerCodec →
 * HttpObjectAggregator (1 MiB) → handler}, NIO transport, one boss thread and Netty's default
 * worker count (twice the cores), bound to 127.0.0.1.
 *
 * <pre>{@code
 * try (BaselineHttpServer server = BaselineHttpServer.start(BaselineHttpServer.Mode.NOOP, 0, null)) {
 *   URI target = server.uri();
 * }
 * }</pre>
 *
 * <p>As a main: {@code BaselineHttpServer [--port N] [--mode noop|fsync-each] [--spool FILE]}; it
 * prints {@code port=N} once it listens and serves until killed.
 */
public final class BaselineHttpServer implements AutoCloseable {
  /** What the server does before it answers. */
  public enum Mode {
    /** Nothing: the ceiling. */
    NOOP,
    /** Appends the body and a newline to the spool file and fsyncs it, one request at a time. */
    FSYNC_EACH
  }

  private static final byte[] OK_BODY = "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_BODY = 1024 * 1024;

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel channel;
  private final ExecutorService writer;
  private final FileChannel spool;
  private final LongAdder requests;

  private BaselineHttpServer(
      EventLoopGroup boss,
      EventLoopGroup workers,
      Channel channel,
      ExecutorService writer,
      FileChannel spool,
      LongAdder requests) {
    this.boss = boss;
    this.workers = workers;
    this.channel = channel;
    this.writer = writer;
    this.spool = spool;
    this.requests = requests;
  }

  /**
   * Starts a server on 127.0.0.1.
   *
   * @param port the port, or 0 for a free one
   * @param spoolFile the file {@link Mode#FSYNC_EACH} appends to (created if absent); ignored, and
   *     may be null, for {@link Mode#NOOP}
   */
  public static BaselineHttpServer start(Mode mode, int port, Path spoolFile) {
    if (mode == null) {
      throw new NullPointerException("mode == null");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port not in [0, 65535]: " + port);
    }
    if (mode == Mode.FSYNC_EACH && spoolFile == null) {
      throw new NullPointerException("spoolFile == null");
    }
    FileChannel spool = null;
    ExecutorService writer = null;
    if (mode == Mode.FSYNC_EACH) {
      try {
        spool =
            FileChannel.open(
                spoolFile,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open " + spoolFile, e);
      }
      writer =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "baseline-fsync");
                t.setDaemon(true);
                return t;
              });
    }
    LongAdder requests = new LongAdder();
    ChannelHandler handler =
        mode == Mode.NOOP ? new Noop(requests) : new FsyncEach(requests, writer, spool);
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    try {
      Channel channel =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(
                              new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY), handler);
                    }
                  })
              .bind("127.0.0.1", port)
              .sync()
              .channel();
      return new BaselineHttpServer(boss, workers, channel, writer, spool, requests);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutDown(boss, workers, writer, spool);
      throw new IllegalStateException("interrupted while binding", e);
    } catch (RuntimeException e) {
      shutDown(boss, workers, writer, spool);
      throw e;
    }
  }

  /** The port the server listens on. */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** {@code http://127.0.0.1:<port>/}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port() + "/");
  }

  /** How many requests the server has answered. */
  public long requests() {
    return requests.sum();
  }

  /** Stops listening, closes the connections and the spool file. */
  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    shutDown(boss, workers, writer, spool);
  }

  private static void shutDown(
      EventLoopGroup boss, EventLoopGroup workers, ExecutorService writer, FileChannel spool) {
    // The writer first: its tasks hand responses back to the event loops.
    if (writer != null) {
      writer.shutdownNow();
      try {
        writer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    if (spool != null) {
      try {
        spool.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Serves until the process is killed; see the class comment for the arguments. */
  public static void main(String[] args) throws InterruptedException, IOException {
    int port = 0;
    Mode mode = Mode.NOOP;
    Path spoolFile = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--mode" ->
            mode = Mode.valueOf(args[i + 1].toUpperCase(Locale.ROOT).replace('-', '_'));
        case "--spool" -> spoolFile = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    if (mode == Mode.FSYNC_EACH && spoolFile == null) {
      spoolFile = Files.createTempFile("baseline-spool", ".ndjson");
    }
    BaselineHttpServer server = start(mode, port, spoolFile);
    System.out.println("port=" + server.port());
    System.out.flush();
    server.channel.closeFuture().sync();
  }

  private static void respond(ChannelHandlerContext ctx, boolean keepAlive) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(OK_BODY));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, OK_BODY.length);
    if (keepAlive) {
      ctx.writeAndFlush(response, ctx.voidPromise());
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  // A load generator closes its connections with requests in flight when its window ends; the
  // resets that follow are expected and not worth a stack trace each.
  private static void closeOnError(ChannelHandlerContext ctx) {
    ctx.close();
  }

  @ChannelHandler.Sharable
  private static final class Noop extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final LongAdder requests;

    Noop(LongAdder requests) {
      this.requests = requests;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      requests.increment();
      respond(ctx, HttpUtil.isKeepAlive(request));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      closeOnError(ctx);
    }
  }

  @ChannelHandler.Sharable
  private static final class FsyncEach extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final LongAdder requests;
    private final ExecutorService writer;
    private final FileChannel spool;

    FsyncEach(LongAdder requests, ExecutorService writer, FileChannel spool) {
      this.requests = requests;
      this.writer = writer;
      this.spool = spool;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      ByteBuf content = request.content();
      byte[] line = new byte[content.readableBytes() + 1];
      content.getBytes(content.readerIndex(), line, 0, line.length - 1);
      line[line.length - 1] = '\n';
      writer.execute(
          () -> {
            try {
              ByteBuffer buffer = ByteBuffer.wrap(line);
              while (buffer.hasRemaining()) {
                spool.write(buffer);
              }
              spool.force(false);
            } catch (IOException e) {
              ctx.channel().close();
              return;
            }
            requests.increment();
            try {
              ctx.executor().execute(() -> respond(ctx, keepAlive));
            } catch (RejectedExecutionException e) {
              // the server is closing; the connection goes with it
            }
          });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      closeOnError(ctx);
    }
  }
}
