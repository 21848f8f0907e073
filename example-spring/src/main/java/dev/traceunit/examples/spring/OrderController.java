package dev.traceunit.examples.spring;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The HTTP endpoint: {@code POST /orders?sku=…&quantity=…} answers the stored order. */
@RestController
class OrderController {

  private final OrderService orders;

  OrderController(OrderService orders) {
    this.orders = orders;
  }

  @PostMapping("/orders")
  Order place(@RequestParam("sku") String sku, @RequestParam("quantity") int quantity) {
    return orders.place(sku, quantity);
  }
}
