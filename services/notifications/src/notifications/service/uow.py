"""The notifications service's unit of work: one transaction, its repositories, its outbox."""
from __future__ import annotations

from crs_shared.uow import UnitOfWork
from notifications.adapters.delivery_repository import DeliveryRepository
from notifications.adapters.endpoint_repository import EndpointRepository
from notifications.adapters.notification_repository import NotificationRepository
from notifications.adapters.read_models import ReadModelRepository


class NotificationsUoW(UnitOfWork):
    read_models: ReadModelRepository
    notifications: NotificationRepository
    deliveries: DeliveryRepository
    endpoints: EndpointRepository

    def _attach(self) -> None:
        self.read_models = ReadModelRepository(self.session)
        self.notifications = NotificationRepository(self.session)
        self.deliveries = DeliveryRepository(self.session)
        self.endpoints = EndpointRepository(self.session)
