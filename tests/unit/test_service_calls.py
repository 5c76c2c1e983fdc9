"""Calls, messages, self-given names and connections read from short sources, one style each."""

from __future__ import annotations

import ast
import textwrap

from seamfinder.collect.facts import ValueSource
from seamfinder.collect.service_calls import ServiceFacts, service_facts


def read(source: str, module: str = "svc.app") -> ServiceFacts:
    return service_facts(ast.parse(textwrap.dedent(source)), module)


def calls(source: str, module: str = "svc.app") -> list[tuple[str, str, str, str, int]]:
    return [(c.protocol, c.style, c.library, c.target, c.line) for c in read(source, module).calls]


def test_a_grpc_stub_carries_its_channel_address_from_the_environment() -> None:
    found = read(
        """
        import os
        import grpc
        from protos import demo_pb2_grpc as pb

        ADDR = os.environ.get("CATALOG_ADDR", "catalog:3550")

        def main():
            with grpc.insecure_channel(ADDR) as channel:
                stub = pb.ProductCatalogServiceStub(channel)
            other = pb.PaymentServiceStub(grpc.secure_channel(f"{HOST}:50051", creds))
        """
    )
    stub, other = found.calls
    assert (stub.protocol, stub.style, stub.target, stub.line) == (
        "grpc",
        "call",
        "ProductCatalogService",
        10,
    )
    assert stub.address == (
        ValueSource("env", "CATALOG_ADDR"),
        ValueSource("literal", "catalog:3550"),
    )
    assert other.target == "PaymentService"
    assert other.address[-1] == ValueSource("literal", "{}:50051")


def test_nameko_proxies_events_and_the_name_a_service_gives_itself() -> None:
    source = """
        from nameko.events import EventDispatcher, event_handler
        from nameko.rpc import RpcProxy
        from nameko.standalone.rpc import ClusterRpcProxy

        class OrdersService:
            name = "orders"
            products = RpcProxy("products")
            dispatch = EventDispatcher()

            def create(self):
                self.dispatch("order_created", {})

            @event_handler("payments", "paid")
            def on_paid(self, payload):
                pass

        def script(config):
            with ClusterRpcProxy(config) as cluster:
                cluster.billing.charge(1)
        """
    assert calls(source) == [
        ("rpc", "call", "nameko", "products", 8),
        ("event", "send", "nameko", ".order_created", 12),
        ("event", "receive", "nameko", "payments.paid", 14),
        ("rpc", "call", "nameko", "billing", 20),
    ]
    assert [(n.framework, n.name, n.line) for n in read(source).names] == [("nameko", "orders", 7)]


def test_a_class_name_attribute_without_nameko_is_no_service_name() -> None:
    assert read("class Config:\n    name = 'orders'\n").names == []


def test_celery_tasks_sent_by_name_and_defined() -> None:
    source = """
        from celery import Celery, shared_task, signature

        app = Celery("billing")

        @app.task(name="billing.charge")
        def charge(order_id):
            app.send_task("shipping.tasks.ship", args=[order_id])
            signature("notify.tasks.mail").delay()

        @shared_task
        def refund():
            pass
        """
    assert calls(source, "billing.tasks") == [
        ("task", "receive", "celery", "billing.charge", 6),
        ("task", "send", "celery", "shipping.tasks.ship", 8),
        ("task", "send", "celery", "notify.tasks.mail", 9),
        ("task", "receive", "celery", "billing.tasks.refund", 11),
    ]
    assert [(n.framework, n.name) for n in read(source).names] == [("celery", "billing")]


def test_buses_publish_and_subscribe_by_topic() -> None:
    source = """
        import pika
        import redis
        from kafka import KafkaConsumer, KafkaProducer

        producer = KafkaProducer(bootstrap_servers="kafka:9092")
        consumer = KafkaConsumer("payments", bootstrap_servers="kafka:9092")
        cache = redis.Redis(host="redis")

        def run():
            producer.send("orders", b"{}")
            consumer.subscribe(["refunds"])
            cache.publish("events", "x")
            pubsub = cache.pubsub()
            pubsub.subscribe("alerts")
            channel = pika.BlockingConnection(pika.ConnectionParameters("mq")).channel()
            channel.basic_publish(exchange="", routing_key="repair", body=b"")
            channel.basic_consume(queue="done", on_message_callback=print)
            cache.get("events")  # not a message
        """
    assert [(p, s, lib, t) for p, s, lib, t, _ in calls(source)] == [
        ("message", "receive", "kafka", "payments"),
        ("message", "send", "kafka", "orders"),
        ("message", "receive", "kafka", "refunds"),
        ("message", "send", "redis", "events"),
        ("message", "receive", "redis", "alerts"),
        ("message", "send", "pika", "repair"),
        ("message", "receive", "pika", "done"),
    ]


def test_database_connections_keep_each_part_and_where_it_comes_from() -> None:
    found = read(
        """
        import os
        import psycopg2
        from django.conf import settings
        from sqlalchemy import create_engine

        a = psycopg2.connect(database="shop_db", port=6543)
        b = psycopg2.connect("dbname=shop_db host=db")
        c = create_engine(os.environ["DATABASE_URL"])
        d = psycopg2.connect(host=os.getenv("DB_HOST", "db"), dbname=settings.NAME)
        """
    )
    a, b, c, d = found.connects
    assert (a.library, a.family, a.url, a.host) == ("psycopg2", "postgresql", (), ())
    assert (a.name, a.port) == (
        (ValueSource("literal", "shop_db"),),
        (ValueSource("literal", "6543"),),
    )
    assert b.url == (ValueSource("literal", "dbname=shop_db host=db"),)
    assert (c.library, c.family, c.url) == ("sqlalchemy", "", (ValueSource("env", "DATABASE_URL"),))
    assert d.host == (ValueSource("env", "DB_HOST"), ValueSource("literal", "db"))
    assert d.name == (ValueSource("setting", "NAME"),)


def test_unrelated_methods_of_the_same_names_are_nothing() -> None:
    source = """
        def run(queue, bus, session):
            queue.publish("x")
            bus.send("y")
            session.subscribe("z")
        """
    assert read(source).calls == []


def test_environment_variables_read_are_kept_once_each_at_their_first_read() -> None:
    found = read(
        """
        import os

        BASE = os.environ["ORDERS_API"]

        def again():
            return os.getenv("ORDERS_API"), os.environ.get("TIMEOUT", "5")
        """
    )
    assert [(r.name, r.line) for r in found.env_reads.values()] == [
        ("ORDERS_API", 4),
        ("TIMEOUT", 7),
    ]
