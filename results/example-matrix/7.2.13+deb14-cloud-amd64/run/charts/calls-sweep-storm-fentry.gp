# Regenerate: cd charts && gnuplot calls-sweep-storm-fentry.gp
if (!exists("outfile")) outfile = "calls-sweep-storm-fentry.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "ns per trigger over K at storm/fentry: means over rounds (points), fitted lines (slope = ns per call)"
set xlabel "K (handler calls per trigger)"
set ylabel "ns per trigger"
set key left top
plot  "calls-sweep-storm-fentry.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 132.7430 + 2.90580*x with lines lc 1 notitle, \
     "calls-sweep-storm-fentry.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 461.0450 + 268.58230*x with lines lc 2 notitle, \
     "calls-sweep-storm-fentry.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 302.8520 + 306.58220*x with lines lc 3 notitle, \
     "calls-sweep-storm-fentry.dat" index 3 using 1:2 with points pt 7 lc 4 title "global", 470.4850 + 279.73530*x with lines lc 4 notitle, \
     "calls-sweep-storm-fentry.dat" index 4 using 1:2 with points pt 7 lc 5 title "linked", 427.7900 + 274.84010*x with lines lc 5 notitle
