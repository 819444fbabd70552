import { ApiProperty } from '@nestjs/swagger';
import { BookingResponse } from '../bookings/booking.dto';
import { ResourceResponse } from './resource.dto';

/** A retired resource and the bookings still ahead of it, which someone has to move elsewhere. */
export class RetiredResourceResponse extends ResourceResponse {
  @ApiProperty({ type: [BookingResponse], description: 'active bookings from now on that still use it' })
  bookingsToRebook: BookingResponse[];
}
