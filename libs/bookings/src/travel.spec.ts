import { greatCircleKm, travelMinutes, TravelTimes } from './travel';

const eschwege = { id: 'e', lat: 51.1881, lon: 10.0528 };
const witzenhausen = { id: 'w', lat: 51.3425, lon: 9.8583 };

describe('travel', () => {
  it('measures great-circle distance', () => {
    expect(greatCircleKm(eschwege, witzenhausen)).toBeCloseTo(21.6, 0);
  });

  it('rounds up to 5 minutes, with the road factor and the machine speed', () => {
    // 21.6 km × 1.3 = 28.1 km at 25 km/h = 67.4 min → 70
    expect(travelMinutes(eschwege, witzenhausen, 25)).toBe(70);
    expect(travelMinutes(eschwege, witzenhausen, 60)).toBe(30);
    expect(travelMinutes(eschwege, eschwege, 25)).toBe(0);
  });

  it('prefers the pool matrix where it has an entry, per direction', () => {
    const places = new Map([
      ['e', eschwege],
      ['w', witzenhausen],
    ]);
    const t = new TravelTimes(places, [{ fromMunicipalityId: 'e', toMunicipalityId: 'w', minutes: 45 }]);
    expect(t.minutes('e', 'w', 25)).toBe(45);
    expect(t.minutes('w', 'e', 25)).toBe(70);
  });
});
