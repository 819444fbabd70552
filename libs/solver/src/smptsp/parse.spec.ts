import { parseSmptsp } from './parse';

const VALID = `# Randomly generated data
# seed = 0
Type = 1
Jobs = 3
  0  10
  5  15
 10  20
Qualifications = 2
 2:   0   2
 3:   1   0   2
`;

describe('parseSmptsp', () => {
  it('reads tasks and per-worker qualification lists (comments and blank lines ignored)', () => {
    expect(parseSmptsp(VALID)).toEqual({
      tasks: [
        { start: 0, end: 10 },
        { start: 5, end: 15 },
        { start: 10, end: 20 },
      ],
      qualifications: [
        [0, 2],
        [1, 0, 2],
      ],
    });
  });

  it('accepts CRLF line endings and workers without qualifications', () => {
    const text = 'Type = 1\r\nJobs = 1\r\n 0 5\r\nQualifications = 2\r\n 0:\r\n 1: 0\r\n';
    expect(parseSmptsp(text).qualifications).toEqual([[], [0]]);
  });

  const malformed: [string, string, RegExp][] = [
    ['missing Type header', VALID.replace('Type = 1', 'Typo = 1'), /line 3: expected "Type = <number>"/],
    ['unsupported type', VALID.replace('Type = 1', 'Type = 2'), /line 3: unsupported Type 2/],
    [
      'non-numeric job count',
      VALID.replace('Jobs = 3', 'Jobs = three'),
      /line 4: Jobs value must be a non-negative integer/,
    ],
    ['task line with one number', VALID.replace('  5  15', '  5'), /line 6: task 1: expected "start end"/],
    [
      'task ending before it starts',
      VALID.replace('  5  15', ' 15   5'),
      /line 6: task 1: end 5 must be after start 15/,
    ],
    [
      'negative time',
      VALID.replace('  0  10', ' -1  10'),
      /line 5: task 0 start must be a non-negative integer/,
    ],
    [
      'too few task lines',
      VALID.replace(' 10  20\n', ''),
      /line 7: task 2: expected "start end", got "Qualifications = 2"/,
    ],
    [
      'count disagreeing with list',
      VALID.replace(' 2:   0   2', ' 3:   0   2'),
      /line 9: worker 0: count says 3 tasks but 2 are listed/,
    ],
    [
      'task index out of range',
      VALID.replace(' 2:   0   2', ' 2:   0   7'),
      /line 9: worker 0: task index 7 out of range 0\.\.2/,
    ],
    [
      'duplicate task index',
      VALID.replace(' 2:   0   2', ' 2:   2   2'),
      /line 9: worker 0: task index 2 listed twice/,
    ],
    [
      'missing colon',
      VALID.replace(' 2:   0   2', ' 2    0   2'),
      /line 9: worker 0: expected "k: t1 \.\.\. tk"/,
    ],
    [
      'too few workers',
      VALID.replace(' 3:   1   0   2\n', ''),
      /expected 2 qualification lines, found only 1/,
    ],
    ['trailing garbage', `${VALID}extra\n`, /line 11: unexpected content after the last worker/],
    ['empty input', '', /line 1: expected "Type = <number>" but input ended/],
  ];

  it.each(malformed)('rejects %s with the line and the problem', (_label, text, message) => {
    expect(() => parseSmptsp(text)).toThrow(message);
  });
});
