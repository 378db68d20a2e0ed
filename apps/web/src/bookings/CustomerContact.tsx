import './customer-contact.css';
import type { BookingCustomer } from '@slotcast/protocol';
import { customerLabel } from './customer-directory.js';

/** The customer's name and the contact details they share, as links a phone can dial or mail. */
export function CustomerContact({
  customer,
  customerId,
}: {
  customer: BookingCustomer | undefined;
  customerId: string;
}) {
  return (
    <span className="customer-contact">
      <span className="customer-name">{customerLabel(customer, customerId)}</span>
      {customer?.phone && (
        <a className="contact-link" href={`tel:${customer.phone.replace(/[^+0-9]/g, '')}`}>
          {customer.phone}
        </a>
      )}
      {customer?.email && (
        <a className="contact-link" href={`mailto:${customer.email}`}>
          {customer.email}
        </a>
      )}
      {customer && !customer.phone && !customer.email && <span className="muted">No contact details shared</span>}
    </span>
  );
}
