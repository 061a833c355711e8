from __future__ import annotations

from django.urls import reverse

from services.models import ColumnMapping
from services.tests.base import ServicesTestCase


class MappingListTestCase(ServicesTestCase):
    def test_it_lists_the_saved_mappings(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(reverse("services:mapping_list"))
        self.assertContains(response, "Cổng DVC tỉnh")
        self.assertContains(response, "MaTTHC")
        self.assertContains(response, "Procedure catalogue")

    def test_it_deletes_a_mapping(self) -> None:
        self.login(self.admin)
        response = self.client.post(reverse("services:mapping_delete", args=[self.mapping.pk]), follow=True)
        self.assertRedirects(response, reverse("services:mapping_list"))
        self.assertContains(response, "The mapping “Cổng DVC tỉnh” was deleted.")
        self.assertFalse(ColumnMapping.objects.exists())

    def test_it_is_refused_to_others(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.client.get(reverse("services:mapping_list")).status_code, 403)
        self.assertEqual(self.client.post(reverse("services:mapping_delete", args=[self.mapping.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("services:mapping_delete", args=[self.mapping.pk])).status_code, 405)
        self.assertTrue(ColumnMapping.objects.filter(pk=self.mapping.pk).exists())
