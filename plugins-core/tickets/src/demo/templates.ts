/**
 * What the demo tickets say, in English and German: per queue a few topics, each with a title and the customer's
 * first message, plus replies, follow-ups and internal notes that fit any topic. `{customer}`, `{agent}`, `{n}` and
 * `{product}` are filled in by the generator (world.ts).
 * @module
 */

export type DemoLanguage = 'en' | 'de';

/** A topic: the ticket's title and the customer's first message. */
export interface Topic {
  title: string;
  body: string;
}

type Texts<T> = Record<DemoLanguage, T>;

/** Topics by demo queue name. */
export const TOPICS: Record<string, Texts<Topic[]>> = {
  Support: {
    en: [
      {
        title: 'Printer on floor {n} prints only blank pages',
        body: 'Hello,\n\nsince this morning the printer on floor {n} feeds every page through but prints nothing. We already replaced the toner.\n\nRegards,\n{customer}',
      },
      {
        title: 'Cannot log in to {product} after password reset',
        body: 'Hi,\n\nI reset my password for {product} yesterday, and now the login page says my account is locked. Could you unlock it?\n\nThanks,\n{customer}',
      },
      {
        title: 'VPN drops every few minutes',
        body: 'Hello support,\n\nworking from home, my VPN connection drops every five to ten minutes. Reconnecting works, but calls are cut off.\n\n{customer}',
      },
      {
        title: 'New laptop for a colleague starting on the {n}th',
        body: 'Hi,\n\na new colleague starts on the {n}th. Please prepare a laptop with {product} installed and an account.\n\nBest,\n{customer}',
      },
    ],
    de: [
      {
        title: 'Drucker im {n}. Stock druckt nur leere Seiten',
        body: 'Hallo,\n\nseit heute Morgen zieht der Drucker im {n}. Stock jedes Blatt ein, druckt aber nichts. Den Toner haben wir schon getauscht.\n\nViele Grüße\n{customer}',
      },
      {
        title: 'Anmeldung bei {product} nach Passwort-Reset nicht möglich',
        body: 'Guten Tag,\n\nich habe gestern mein Passwort für {product} zurückgesetzt, jetzt meldet die Anmeldeseite, dass mein Konto gesperrt ist. Können Sie es entsperren?\n\nDanke\n{customer}',
      },
      {
        title: 'VPN bricht alle paar Minuten ab',
        body: 'Hallo,\n\nim Homeoffice bricht meine VPN-Verbindung alle fünf bis zehn Minuten ab. Neu verbinden geht, aber Telefonate werden unterbrochen.\n\n{customer}',
      },
    ],
  },
  Billing: {
    en: [
      {
        title: 'Invoice {n} charged twice',
        body: 'Hello,\n\nour credit card was charged twice for invoice {n}. Please refund one of the payments.\n\nKind regards,\n{customer}',
      },
      {
        title: 'Please change the billing address on our invoices',
        body: 'Hi,\n\nwe moved offices. From the next invoice on, please use our new address; the old one is on invoice {n}.\n\n{customer}',
      },
      {
        title: 'Question about the price increase for {product}',
        body: 'Hello,\n\nthe last invoice for {product} is higher than our contract says. Could you explain the difference?\n\nThanks,\n{customer}',
      },
    ],
    de: [
      {
        title: 'Rechnung {n} doppelt abgebucht',
        body: 'Guten Tag,\n\ndie Rechnung {n} wurde zweimal von unserer Kreditkarte abgebucht. Bitte erstatten Sie eine der Zahlungen.\n\nMit freundlichen Grüßen\n{customer}',
      },
      {
        title: 'Bitte Rechnungsanschrift ändern',
        body: 'Hallo,\n\nwir sind umgezogen. Bitte verwenden Sie ab der nächsten Rechnung unsere neue Anschrift; die alte steht auf Rechnung {n}.\n\n{customer}',
      },
    ],
  },
  Engineering: {
    en: [
      {
        title: 'API returns 500 on /orders with more than {n} items',
        body: 'Hello,\n\nour integration gets HTTP 500 from the orders API whenever an order has more than {n} items. Smaller orders work.\n\n{customer}',
      },
      {
        title: '{product} export is missing the last column',
        body: 'Hi,\n\nthe CSV export of {product} stops one column short since the last update. Example file attached to my next message.\n\n{customer}',
      },
      {
        title: 'Webhook deliveries arrive {n} minutes late',
        body: 'Hello,\n\nsince Monday your webhooks reach us about {n} minutes after the event. Is there a delay on your side?\n\n{customer}',
      },
    ],
    de: [
      {
        title: 'API liefert 500 bei /orders mit mehr als {n} Positionen',
        body: 'Hallo,\n\nunsere Anbindung bekommt HTTP 500 von der Bestell-API, sobald eine Bestellung mehr als {n} Positionen hat. Kleinere Bestellungen gehen.\n\n{customer}',
      },
      {
        title: 'Export aus {product} ohne letzte Spalte',
        body: 'Guten Tag,\n\nder CSV-Export aus {product} endet seit dem letzten Update eine Spalte zu früh.\n\n{customer}',
      },
    ],
  },
  Sales: {
    en: [
      {
        title: 'Quote for {n} additional {product} licences',
        body: 'Hello,\n\nwe would like to add {n} licences of {product}. Could you send us a quote?\n\nBest regards,\n{customer}',
      },
      {
        title: 'Upgrade to the enterprise plan',
        body: 'Hi,\n\nwe are considering the enterprise plan for {n} users. What would change for us, and what would it cost?\n\n{customer}',
      },
    ],
    de: [
      {
        title: 'Angebot für {n} weitere {product}-Lizenzen',
        body: 'Guten Tag,\n\nwir möchten {n} weitere Lizenzen für {product} erwerben. Können Sie uns ein Angebot schicken?\n\nMit freundlichen Grüßen\n{customer}',
      },
    ],
  },
  Raw: {
    en: [
      {
        title: 'Fwd: question',
        body: 'Hello,\n\nsee below, could someone have a look? Not sure who is responsible for this.\n\n{customer}',
      },
      {
        title: 'Out of office: back on the {n}th',
        body: 'I am out of the office until the {n}th with limited access to email.\n\n{customer}',
      },
    ],
    de: [
      {
        title: 'WG: Anfrage',
        body: 'Hallo,\n\nsiehe unten, kann sich das jemand ansehen? Ich weiß nicht, wer dafür zuständig ist.\n\n{customer}',
      },
    ],
  },
};

/** Products the topics mention. */
export const PRODUCTS = ['GoatFlow Desk', 'Ledger Pro', 'TimeTrack', 'Atlas CRM', 'Mailbridge'];

/** An agent's reply to the customer. */
export const AGENT_REPLIES: Texts<string[]> = {
  en: [
    'Hello {customer},\n\nthank you for reporting this. I am looking into it and will get back to you today.\n\nBest regards,\n{agent}',
    'Hello {customer},\n\ncould you tell us when this happened for the first time, and whether colleagues are affected too?\n\n{agent}',
    'Hello {customer},\n\nwe have found the cause and applied a fix. Please check whether it works for you now.\n\nKind regards,\n{agent}',
    'Hello {customer},\n\nI have passed this on to the responsible team; ticket number for reference is in the subject.\n\n{agent}',
  ],
  de: [
    'Hallo {customer},\n\nvielen Dank für die Meldung. Ich sehe mir das an und melde mich heute noch.\n\nViele Grüße\n{agent}',
    'Hallo {customer},\n\nkönnen Sie uns sagen, wann das zum ersten Mal auftrat und ob Kolleginnen oder Kollegen auch betroffen sind?\n\n{agent}',
    'Hallo {customer},\n\nwir haben die Ursache gefunden und behoben. Bitte prüfen Sie, ob es jetzt funktioniert.\n\nFreundliche Grüße\n{agent}',
  ],
};

/** The customer writing again. */
export const CUSTOMER_FOLLOW_UPS: Texts<string[]> = {
  en: [
    'Hi {agent},\n\nit happened first on Monday; at least {n} colleagues see the same.\n\n{customer}',
    'Thanks, it works again!\n\n{customer}',
    'Hello,\n\nany news on this? It is still happening.\n\n{customer}',
    'Hi {agent},\n\nunfortunately nothing has changed on our side.\n\n{customer}',
  ],
  de: [
    'Hallo {agent},\n\nes trat am Montag zum ersten Mal auf; mindestens {n} Kollegen sehen dasselbe.\n\n{customer}',
    'Danke, jetzt geht es wieder!\n\n{customer}',
    'Hallo,\n\ngibt es hierzu Neuigkeiten? Das Problem besteht weiterhin.\n\n{customer}',
  ],
};

/** Internal notes: agents only, never shown to customers. */
export const INTERNAL_NOTES: Texts<string[]> = {
  en: [
    "Checked the logs: same error as in last week's incident. Escalating to engineering if it recurs.",
    'Customer is on the old contract; check with billing before promising anything.',
    'Called the customer, they will send a screenshot.',
    'Workaround for now: restart the service. Root cause still open.',
  ],
  de: [
    'Logs geprüft: derselbe Fehler wie beim Vorfall letzte Woche. Bei Wiederholung an Engineering eskalieren.',
    'Kunde hat noch den alten Vertrag; vor Zusagen mit Billing abstimmen.',
    'Kunden angerufen, er schickt einen Screenshot.',
  ],
};

/** The subject prefix of a reply. */
export const REPLY_PREFIX: Record<DemoLanguage, string> = { en: 'Re: ', de: 'AW: ' };

/** Fills `{name}` slots; a slot without a value stays as it is. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (slot, name: string) =>
    values[name] === undefined ? slot : String(values[name]),
  );
}
