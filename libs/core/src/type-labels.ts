/** The two languages of every text for people. */
type Language = 'de' | 'en';

/**
 * Names of resource types and qualifications for people: German (the default) and English,
 * singular and plural. Type keys are the API's (`street-sweeper`); a key that is not listed is
 * shown as "Gerätetyp „…“" / "type "…"" rather than as an English word in German text.
 */
const TYPES: Record<string, { de: [string, string]; en: [string, string] }> = {
  'street-sweeper': { de: ['Kehrmaschine', 'Kehrmaschinen'], en: ['street sweeper', 'street sweepers'] },
  'sewer-camera': { de: ['Kanal-TV-Kamera', 'Kanal-TV-Kameras'], en: ['sewer camera', 'sewer cameras'] },
  excavator: { de: ['Bagger', 'Bagger'], en: ['excavator', 'excavators'] },
  'mini-excavator': { de: ['Minibagger', 'Minibagger'], en: ['mini excavator', 'mini excavators'] },
  mulcher: { de: ['Mulcher', 'Mulcher'], en: ['mulcher', 'mulchers'] },
  'slope-mower': { de: ['Böschungsmäher', 'Böschungsmäher'], en: ['slope mower', 'slope mowers'] },
  'aerial-lift': { de: ['Hubsteiger', 'Hubsteiger'], en: ['aerial lift', 'aerial lifts'] },
  'wheel-loader': { de: ['Radlader', 'Radlader'], en: ['wheel loader', 'wheel loaders'] },
  'snow-plough': { de: ['Schneepflug', 'Schneepflüge'], en: ['snow plough', 'snow ploughs'] },
  'snow-blower': { de: ['Schneefräse', 'Schneefräsen'], en: ['snow blower', 'snow blowers'] },
  gritter: { de: ['Streuer', 'Streuer'], en: ['gritter', 'gritters'] },
  'low-loader-trailer': { de: ['Tieflader', 'Tieflader'], en: ['low-loader trailer', 'low-loader trailers'] },
  'tipper-trailer': { de: ['Kipperanhänger', 'Kipperanhänger'], en: ['tipper trailer', 'tipper trailers'] },
  'municipal-tractor': {
    de: ['Kommunaltraktor', 'Kommunaltraktoren'],
    en: ['municipal tractor', 'municipal tractors'],
  },
  'road-roller': { de: ['Walze', 'Walzen'], en: ['road roller', 'road rollers'] },
  'wood-chipper': { de: ['Holzhäcksler', 'Holzhäcksler'], en: ['wood chipper', 'wood chippers'] },
  operator: { de: ['Fachkraft', 'Fachkräfte'], en: ['operator', 'operators'] },
  driver: { de: ['Fahrer', 'Fahrer'], en: ['driver', 'drivers'] },
};

const QUALIFICATIONS: Record<string, { de: string; en: string }> = {
  'sewer-camera-certified': { de: 'Kanal-TV-Zertifikat', en: 'sewer camera certificate' },
  'licence-CE': { de: 'Führerschein CE', en: 'driving licence CE' },
  'licence-C': { de: 'Führerschein C', en: 'driving licence C' },
  'licence-T': { de: 'Führerschein T', en: 'driving licence T' },
  'aerial-lift-certified': { de: 'Hubsteiger-Befähigung', en: 'aerial lift certificate' },
  'excavator-certified': { de: 'Baggerführerschein', en: 'excavator certificate' },
  'chainsaw-certified': { de: 'Motorsägenschein', en: 'chainsaw certificate' },
};

export function typeLabel(type: string, lang: Language, plural = false): string {
  const known = TYPES[type];
  if (known) return known[lang][plural ? 1 : 0];
  return lang === 'de' ? `Gerätetyp „${type}“` : `type "${type}"`;
}

export function qualificationLabel(qualification: string, lang: Language): string {
  const known = QUALIFICATIONS[qualification];
  if (known) return known[lang];
  return lang === 'de' ? `Qualifikation „${qualification}“` : `qualification "${qualification}"`;
}
