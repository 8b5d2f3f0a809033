//! The progress bar of long commands on stderr, and `KENSA_TIMINGS` phase times.

/// A progress bar on stderr (hidden when stderr is not a terminal, or with --quiet/--no-progress).
pub(crate) struct Progress {
    bar: indicatif::ProgressBar,
    phase: std::sync::Mutex<String>,
    /// The language of the phase names on the bar.
    lang: crate::words::Lang,
    /// `KENSA_TIMINGS=1`: each phase's start is written to stderr with the seconds since the run
    /// began (for benchmarks; never anything but phase names and times).
    pub(crate) timings: Option<std::time::Instant>,
}

impl Progress {
    pub(crate) fn new(on: bool) -> Self {
        let bar = if on {
            indicatif::ProgressBar::new(0)
        } else {
            indicatif::ProgressBar::hidden()
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Progress {
            bar,
            phase: std::sync::Mutex::new(String::new()),
            lang: crate::words::Lang::En,
            timings: std::env::var_os("KENSA_TIMINGS")
                .filter(|v| !v.is_empty())
                .map(|_| std::time::Instant::now()),
        }
    }
    /// The same bar with its phase names in `lang`.
    pub(crate) fn lang(mut self, lang: crate::words::Lang) -> Self {
        self.lang = lang;
        self
    }
    /// A progress bar for byte counts.
    pub(crate) fn bytes(on: bool, msg: &str) -> Self {
        let p = Progress::new(on);
        p.bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg:>12} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        p.bar.set_message(msg.to_string());
        p
    }
    pub(crate) fn tick(&self, phase: &str, done: usize, total: usize) {
        self.set(phase, done as u64, total as u64);
    }
    pub(crate) fn set(&self, phase: &str, done: u64, total: u64) {
        let mut p = self.phase.lock().unwrap_or_else(|e| e.into_inner());
        if *p != phase {
            if let Some(t0) = self.timings {
                eprintln!("kensa: {:8.3} s  {phase}", t0.elapsed().as_secs_f64());
            }
            *p = phase.to_string();
            self.bar.reset();
            self.bar
                .set_message(crate::words::progress_phase(self.lang, phase).to_string());
        }
        self.bar.set_length(total);
        self.bar.set_position(done);
    }
    pub(crate) fn clear(&self) {
        if let Some(t0) = self.timings {
            eprintln!("kensa: {:8.3} s  reports", t0.elapsed().as_secs_f64());
        }
        self.bar.finish_and_clear();
    }
}
