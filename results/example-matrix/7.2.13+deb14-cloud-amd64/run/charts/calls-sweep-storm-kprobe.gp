# Regenerate: cd charts && gnuplot calls-sweep-storm-kprobe.gp
if (!exists("outfile")) outfile = "calls-sweep-storm-kprobe.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "ns per trigger over K at storm/kprobe: means over rounds (points), fitted lines (slope = ns per call)"
set xlabel "K (handler calls per trigger)"
set ylabel "ns per trigger"
set key left top
plot  "calls-sweep-storm-kprobe.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 125.1930 + 3.43690*x with lines lc 1 notitle, \
     "calls-sweep-storm-kprobe.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 422.5600 + 272.57420*x with lines lc 2 notitle, \
     "calls-sweep-storm-kprobe.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 472.8470 + 282.77740*x with lines lc 3 notitle, \
     "calls-sweep-storm-kprobe.dat" index 3 using 1:2 with points pt 7 lc 4 title "global", 440.1060 + 311.05990*x with lines lc 4 notitle, \
     "calls-sweep-storm-kprobe.dat" index 4 using 1:2 with points pt 7 lc 5 title "linked", 542.1820 + 286.73060*x with lines lc 5 notitle, \
     "calls-sweep-storm-kprobe.dat" index 5 using 1:2 with points pt 7 lc 6 title "freplace", 447.2910 + 291.39290*x with lines lc 6 notitle, \
     "calls-sweep-storm-kprobe.dat" index 6 using 1:2 with points pt 7 lc 7 title "tailcall", 551.3390 + 293.04750*x with lines lc 7 notitle
