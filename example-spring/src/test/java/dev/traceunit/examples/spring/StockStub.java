package dev.traceunit.examples.spring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stock service, stubbed on 127.0.0.1 with the JDK's HTTP server: one for the whole run, like
 * the cached application context that calls it. It answers 204, or 503 while a SKU has failures
 * left; a reservation for a {@code together-…} SKU waits until another one arrives (at most 10 s),
 * so two tests that get their answers must have had their requests in flight at the same time.
 */
final class StockStub {

  private static final StockStub INSTANCE = new StockStub();

  private final HttpServer server;
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
  private final CyclicBarrier together = new CyclicBarrier(2);

  private StockStub() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/stock/", this::reserve);
    server.setExecutor(Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "stock-stub");
      thread.setDaemon(true);
      return thread;
    }));
    server.start();
  }

  static StockStub instance() {
    return INSTANCE;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next {@code count} reservations of {@code sku} answer 503. */
  void failNext(String sku, int count) {
    failuresLeft.put(sku, new AtomicInteger(count));
  }

  private void reserve(HttpExchange exchange) throws IOException {
    String sku = exchange.getRequestURI().getPath().split("/")[2];
    int status = 204;
    AtomicInteger failures = failuresLeft.get(sku);
    if (failures != null && failures.getAndDecrement() > 0) {
      status = 503;
    } else if (sku.startsWith("together-")) {
      status = awaitAnother() ? 204 : 500;
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private boolean awaitAnother() {
    try {
      together.await(10, TimeUnit.SECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (BrokenBarrierException | TimeoutException e) {
      together.reset();
      return false;
    }
  }
}
