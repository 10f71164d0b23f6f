"""The demo data's message templates: every status, button kind, attachment kind,
numbered (``{{1}}``) and named (``{name}``) placeholders, and one keyword in two languages.

Plain data, kept out of ``demo.py`` so the generator stays readable.
"""

from __future__ import annotations

#: (keyword, language, name, category, status, text, buttons, attachment, rejected_reason)
Template = tuple[str, str, str, str, str, str, list[dict[str, object]], str | None, str | None]

TEMPLATES: list[Template] = [
    (
        "welcome",
        "en",
        "Welcome",
        "MARKETING",
        "approved",
        "Hello {{1}}, welcome to {{2}}! Reply to this message to start chatting.",
        [],
        None,
        None,
    ),
    (
        "welcome",
        "hr",
        "Dobrodošlica",
        "MARKETING",
        "approved",
        "Pozdrav {{1}}, dobrodošli u {{2}}! Odgovorite na ovu poruku za razgovor.",
        [],
        None,
        None,
    ),
    (
        "order_shipped",
        "en",
        "Order shipped",
        "UTILITY",
        "approved",
        "Hi {{1}}, your order {{2}} has shipped and arrives {{3}}.",
        [
            {
                "index": 0,
                "type": "url",
                "title": "Track order",
                "value": "https://shop.example.com/track/{{1}}",
            }
        ],
        None,
        None,
    ),
    (
        "invoice",
        "en",
        "Invoice",
        "UTILITY",
        "approved",
        "Hi {{1}}, your invoice {{2}} is attached. Thank you for your purchase!",
        [],
        "document",
        None,
    ),
    (
        "new_collection",
        "en",
        "New collection",
        "MARKETING",
        "approved",
        "{{1}}, our new collection is here 🌸",
        [
            {
                "index": 0,
                "type": "url",
                "title": "Shop now",
                "value": "https://shop.example.com/c/{{1}}",
            },
            {"index": 1, "type": "quick_reply", "title": "Stop promotions", "value": "STOP"},
        ],
        "image",
        None,
    ),
    (
        "appointment_reminder",
        "es",
        "Recordatorio de cita",
        "UTILITY",
        "approved",
        "Hola {{1}}, le recordamos su cita el {{2}}.",
        [
            {"index": 0, "type": "quick_reply", "title": "Confirmar", "value": "CONFIRM"},
            {"index": 1, "type": "quick_reply", "title": "Cambiar", "value": "RESCHEDULE"},
            {"index": 2, "type": "phone_number", "title": "Llamar", "value": "+38512345678"},
        ],
        None,
        None,
    ),
    (
        "how_to_video",
        "en",
        "How-to video",
        "UTILITY",
        "pending",
        "Hi {{1}}, here is a short video on getting started.",
        [],
        "video",
        None,
    ),
    (
        "payment_reminder",
        "en",
        "Payment reminder",
        "UTILITY",
        "pending",
        "Hi {{1}}, a friendly reminder that {{2}} is due on {{3}}.",
        [],
        None,
        None,
    ),
    (
        "flash_sale",
        "en",
        "Flash sale",
        "MARKETING",
        "rejected",
        "FLASH SALE!!! {{1}}% off everything, today only!!!",
        [],
        None,
        "Template violates the WhatsApp Commerce Policy: excessive capitalisation and punctuation",
    ),
    (
        "feedback",
        "en",
        "Feedback",
        "UTILITY",
        "rejected",
        "Hi {{1}}, how did we do? Rate us and win a prize!",
        [],
        None,
        "Promotional content is not allowed in a UTILITY template",
    ),
]

#: Templates with named placeholders (``{name}``), the form Sendbee's own documentation
#: uses; same fields as :data:`TEMPLATES`. Kept apart (and given ids from their own random
#: generator) so that adding them did not change a single id of the older demo data.
NAMED_TEMPLATES: list[Template] = [
    (
        "loyalty_card",
        "en",
        "Loyalty card",
        "MARKETING",
        "approved",
        "Welcome {name}! Your loyalty card {card_number} is ready: show it at the till.",
        [],
        None,
        None,
    ),
    (
        "loyalty_card",
        "de",
        "Kundenkarte",
        "MARKETING",
        "approved",
        "Willkommen {name}! Ihre Kundenkarte {card_number} ist bereit.",
        [],
        None,
        None,
    ),
    (
        "delivery_slot",
        "en",
        "Delivery slot",
        "UTILITY",
        "approved",
        "Hi {name}, your delivery is booked for {day} between {from_time} and {to_time}.",
        [
            {
                "index": 0,
                "type": "url",
                "title": "Change the slot",
                "value": "https://shop.example.com/slot/{booking}",
            }
        ],
        None,
        None,
    ),
]
